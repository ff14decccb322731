# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (ecomanalysis)
#     language: python
#     name: ecomanalysis
# ---

# %% [markdown]
# # 08 · 假如…… / What if?
#
# What if inquiries per order were higher, a chat took 200 s, agents handled three chats at
# once, the shop moved to a tier-1 city, or Double 11 brought 9x a normal day? Move a slider:
# the team per role, the monthly labour cost, the agents on seat hour by hour and the Double 11
# temps follow at once. Every slider is a standard of `data/standards.csv` and moves within the
# range the table gives for it (hover a label for its id). "Save as scenario" writes the chosen
# values as a shop YAML (`ecomanalysis report --shop FILE`) or also as a batch entry
# (`ecomanalysis batch FILE`).
#
# 拖动滑块即可看到:各岗位人数、每月人工成本、每小时在线客服人数和双11临时工随之变化。每个滑块
# 都是 `data/standards.csv` 中的一项标准,范围取自该表。"保存为方案"把当前取值写成店铺 YAML
# 或批量运行条目。
#
# How it stays fast: the shop's plan (`ecomanalysis.plan.make_plan`) is built once, including
# the peak forecast fitted to the order history; a change re-sizes the team with the plan's
# own building blocks and rescales the forecast days instead of refitting them
# (`ecomanalysis.whatif`). Managers open this page without Python: `make app` (Voila).

# %% tags=["parameters"]
lang: str = "zh"  # language of names and labels {zh, en}
shop_file: str = ""  # shop profile YAML; empty = bundled sample shop
event: str = "double11"  # event_id of data/events_cn.csv, the peak planned for
max_orders_per_day: int = 3000  # upper end of the orders-per-day slider [10, 100000]
scenario_dir: str = ""  # folder "save as scenario" writes to; empty = reports/scenarios

# %%
from IPython.display import display

from ecomanalysis.report import record
from ecomanalysis.whatif import METRIC_UNITS, WhatIf
from ecomanalysis.whatif_app import WhatIfApp

whatif = WhatIf(shop_file or None, lang=lang, event=event)
app = WhatIfApp(whatif, max_orders_per_day=max_orders_per_day, scenario_dir=scenario_dir or None)
display(app.widget)

# %% tags=["remove-cell"]
# Key figures at the shop's own values (the report's metrics.json); the page itself is live.
for key, value in app.result.metrics().items():
    record(key, value, unit=METRIC_UNITS[key])
