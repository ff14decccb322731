"""ecomanalysis: data-driven staffing for e-commerce shops (电商岗位与人员配置分析).

Layers, bottom up (see ../shared/GUIDE.md):

- :mod:`ecomanalysis.config`    paths derived from the package location
- :mod:`ecomanalysis.catalog`   validated reference tables (roles, duties, stages, ...)
- :mod:`ecomanalysis.intake`    a shop's order / chat exports -> arrivals per interval
- :mod:`ecomanalysis.queueing`  Erlang B/C/A and chat concurrency (pure numpy)
- :mod:`ecomanalysis.workload`  drivers x standards -> hours per role
- :mod:`ecomanalysis.forecast`  history + event calendar -> expected volume
- :mod:`ecomanalysis.staffing`  workload + queueing -> headcount, next hires, cost
- :mod:`ecomanalysis.plots`     chart style, CJK font, bilingual labels
- :mod:`ecomanalysis.report`    papermill + nbconvert runs, single and batch
"""

__version__ = "0.1.0"
