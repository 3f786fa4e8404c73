"""The dashboard's two languages: English, in which the code is written, and 中文.

Every piece of interface text is written once, in English, where it is used; the
Chinese page looks it up here (:func:`translator`). A text missing here shows in
English; the tests fail on any English word the figures draw in Chinese mode and
on any interface text of this table the Chinese page shows in English. Names the
scenario files write (titles, questions, event labels) are translated for the library's
scenarios (``_LIBRARY``); a user's own file, and the schema's labels and hints of the
parameters (but for the key parameters and the sections), stay as written.

The five kinds of material are named as in Zhou Enlai's letter of 6 September
1952 (技术资料): the Chinese terms are this project's rendering of the letter's
categories (assumption: the seed holds the letter in English translation).
"""

from __future__ import annotations

from collections.abc import Callable

from sim.catalog import AGENCIES, CATEGORY_LABELS, CHANNEL_LABELS, SECTORS
from sim.drawing import FONTS as FONTS  # the figures' fonts, shared with every figure of the package

#: A function that puts English interface text into one language.
Translate = Callable[[str], str]

#: The languages offered, by code, with the name the switch shows.
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}

_CATEGORIES = {
    "standards": "产品标准",
    "typical_designs": "典型设计",
    "operating_procedures": "技术操作规程",
    "blueprints": "制造图纸",
    "norms": "技术经济定额",
}
_SECTORS = {
    "heavy_industry": "重工业部",
    "machine_building_1": "第一机械工业部",
    "machine_building_2": "第二机械工业部",
    "fuel_industry": "燃料工业部",
    "textile_industry": "纺织工业部",
    "light_industry": "轻工业部",
    "railways": "铁道部",
    "building": "建筑工程部",
}
_AGENCIES = {
    "gosplan": "国家计划委员会",
    "gosstroi": "国家建设委员会",
    "standards_committee": "标准、计量和仪器委员会",
    "foreign_trade": "对外贸易部",
    "ferrous_metallurgy": "黑色冶金工业部",
    "machine_tools": "机床制造工业部",
    "defence_industry": "国防工业部",
    "coal_industry": "煤炭工业部",
    "light_industry_ussr": "轻工业部（苏联）",
    "transport": "交通部（铁路）",
    "construction": "建筑部",
}
_AGENCIES_SHORT = {
    "gosplan": "国家计委",
    "gosstroi": "国家建委",
    "standards_committee": "标准委员会",
    "foreign_trade": "外贸部",
    "ferrous_metallurgy": "黑色冶金部",
    "machine_tools": "机床制造部",
    "defence_industry": "国防工业部",
    "coal_industry": "煤炭工业部",
    "light_industry_ussr": "轻工业部（苏）",
    "transport": "交通部",
    "construction": "建筑部",
}
_CHANNELS = {"office": "驻苏联商务参赞处（莫斯科）", "commission": "中苏科学技术合作委员会"}

#: The library's scenarios (``scenarios/*.toml``): titles, questions and event labels. A file of the
#: user's own shows its texts as written; ``tests/test_dashboard.py`` checks every library text is here.
_LIBRARY = {
    # titles
    "Baseline, 1952-1962: one channel, then two, then the recall": "基准情景，1952—1962：先一个渠道，后两个，然后撤退",
    "Blueprints withheld: Soviet agencies approve few manufacturing blueprints": "扣留图纸：苏联机构很少批准制造图纸",
    "Calibrated baseline_1952: fitted to the recorded totals of sets supplied": (
        "校准的 baseline_1952：拟合史料记载的提供套数总计"
    ),
    "Early recall: the break comes in July 1957": "提前撤退：破裂发生在 1957 年 7 月",
    "Fast adoption: enterprises take up material twice as readily": "快速采用：企业采用资料的速度加倍",
    "No commission: the single channel throughout": "没有委员会：始终只有一个渠道",
    "No recall: the specialists stay and contracts hold after 1960": "没有撤退：1960 年后专家留下，合同继续有效",
    "Office doubled: twice the staff at the Counsellor's Office": "参赞处加倍：商务参赞处人员加倍",
    "Reading: documentation went on after 1960": "另一种解读：1960 年后资料继续提供",
    "Reading: the record counted sets on delivery in China": "另一种解读：史料按在中国交付时计算套数",
    "Slow adoption: enterprises take up material half as readily": "缓慢采用：企业采用资料的速度减半",
    "Translation campaign: ministries train twice as many Russian translators in 1955": (
        "翻译运动：1955 年各部培养的俄文翻译加倍"
    ),
    "Triage: the Counsellor's Office serves key-project requests first": "分级处理：商务参赞处优先处理重点项目的请求",
    # questions
    "How close does the model come to the sourced totals of documentation supplied, 1953-1962?": (
        "模型与 1953—1962 年有来源的资料提供总数相差多少？"
    ),
    "How did requests for Soviet technical materials flow through the Counsellor's Office, "
    "and how far did they spread among Chinese enterprises?": (
        "索取苏联技术资料的请求怎样经过商务参赞处流转？资料在中国企业中传播得有多广？"
    ),
    "How much of the split between the two plans could come from counting on delivery rather than on shipment?": (
        "两个五年计划之间的差别，有多少可能来自按交付而不是按发运计算？"
    ),
    "Was Russian translation the bottleneck? What if a campaign had doubled the translators from March 1955?": (
        "俄文翻译是瓶颈吗？如果从 1955 年 3 月起一场运动使翻译人数加倍，会怎样？"
    ),
    "Was the single channel the bottleneck? What if the Counsellor's Office had had twice the staff from 1952?": (
        "单一渠道是瓶颈吗？如果商务参赞处从 1952 年起人员加倍，会怎样？"
    ),
    "What if Chinese enterprises had adopted delivered material, on their own and from their peers, half as fast?": (
        "如果中国企业自行采用和向同行学习采用交付资料的速度都减半，会怎样？"
    ),
    "What if Chinese enterprises had adopted delivered material, on their own and from their peers, twice as fast?": (
        "如果中国企业自行采用和向同行学习采用交付资料的速度都加倍，会怎样？"
    ),
    "What if the 1954 agreement had not opened the joint commission as a second channel?": (
        "如果 1954 年的协定没有开设联合委员会作为第二个渠道，会怎样？"
    ),
    "What if the June 1961 agreements kept documentation flowing, "
    "so that much of the Second Plan's sets came after the withdrawal?": (
        "如果 1961 年 6 月的协定使资料继续提供，以致第二个五年计划的许多套资料是在撤退之后到来的，会怎样？"
    ),
    "What if the Soviet side had guarded its machine and motor blueprints, approving only three requests in ten?": (
        "如果苏方严守其机器和发动机图纸，十个请求只批准三个，会怎样？"
    ),
    "What if the Soviet specialists had not been recalled and contracts not cancelled in July 1960?": (
        "如果 1960 年 7 月苏联专家没有被召回、合同没有被撕毁，会怎样？"
    ),
    "What if the office had worked requests for the key projects first instead of in order of arrival?": (
        "如果参赞处优先处理重点项目的请求，而不是按到达次序处理，会怎样？"
    ),
    "What if the split, the cancelled contracts and the recall had come three years earlier, in 1957?": (
        "如果分裂、撕毁合同和召回专家提前三年，在 1957 年发生，会怎样？"
    ),
    # event labels
    "122-item agreement": "122 项协定",
    "1954 agreement": "1954 年协定",
    "91 projects": "91 个项目",
    "Contracts cancelled": "撕毁合同",
    "First Five-Year Plan": "第一个五年计划",
    "First GB standards": "第一批国家标准（GB）",
    "Great Leap Forward": "大跃进",
    "Joint commission opens": "联合委员会开始工作",
    "June 1961 agreements": "1961 年 6 月协定",
    "Plan peak": "计划高峰",
    "Specialists withdrawn": "专家撤走",
    "Translator campaign": "翻译运动",
}

#: English text → Chinese.
ZH: dict[str, str] = {
    **_LIBRARY,
    # names from the catalogue
    **{CATEGORY_LABELS[key]: text for key, text in _CATEGORIES.items()},
    **{sector.label: _SECTORS[sector.key] for sector in SECTORS},
    **{agency.label: _AGENCIES[agency.key] for agency in AGENCIES},
    **{agency.short: _AGENCIES_SHORT[agency.key] for agency in AGENCIES},
    **{CHANNEL_LABELS[key]: text for key, text in _CHANNELS.items()},
    **{f"{CHANNEL_LABELS[key]}: queue": f"{text}：排队" for key, text in _CHANNELS.items()},
    # the header, the side and the run bar
    "Ziliao 资料: Soviet technical materials for China, 1952-1962": "资料：苏联向中国提供的技术资料，1952—1962",
    "Explore": "探索",
    "Compare": "比较",
    "About": "关于",
    "Scenario": "情景",
    "Scenario: ": "情景：",
    "  · changed: ": "  · 已改动：",
    "Seed": "随机种子",
    "Reset values": "恢复原值",
    "Download scenario (TOML)": "下载情景（TOML）",
    "Load a scenario file (.toml)": "载入情景文件（.toml）",
    "Key parameters": "主要参数",
    "All parameters": "全部参数",
    # the key parameters (their plain labels in the schema) and the schema's sections
    "Staff at the Counsellor's Office (persons)": "商务参赞处的人员（人）",
    "Order of the Office's queue": "参赞处排队的次序",
    "In order of arrival": "按到达次序",
    "Key projects first": "重点项目优先",
    "Joint commission open from the start": "联合委员会从一开始就开放",
    "Share of requests sent through the commission (share)": "经委员会发出的请求比例（比例）",
    "Requests a Soviet agency reviews each week (requests per week)": "苏联机构每周审查的请求（每周请求数）",
    "Russian translators per ministry (persons per ministry)": "每个部的俄文翻译（每部人数）",
    "Absorptive capacity of the enterprises (share)": "企业的吸收能力（比例）",
    "Boost from Soviet specialists (multiplier)": "苏联专家带来的提升（倍数）",
    "Time": "时间",
    "Demand": "需求",
    "Office": "参赞处",
    "Commission": "委员会",
    "Projects": "重点项目",
    "Research": "联合研究",
    "Soviet": "苏方",
    "Translation": "翻译",
    "Standards": "标准",
    "Adoption": "采用",
    "Specialists": "专家",
    "Network": "网络",
    "Sectors": "各部门",
    "changed (scenario: {base})": "已改动（情景：{base}）",
    " ({n} changed)": "（{n} 项已改动）",
    "Step": "单步",
    "Play": "播放",
    "Pause": "暂停",
    "Reset": "重来",
    "Speed: {n} steps a frame": "速度：每帧 {n} 步",
    "Play until (YYYY-MM-DD)": "播放到 (年-月-日)",
    "Date: {date}  (step {step} of {steps})": "日期：{date}（第 {step} 步，共 {steps} 步）",
    "Building the model and its figures…": "正在建立模型和图表……",
    "the figures could not be drawn: {error}": "图表无法绘制：{error}",
    "Language": "语言",
    # headline cards
    "Date": "日期",
    "Requests made": "已提出的请求",
    "Requests delivered": "已交付的请求",
    "Sets supplied": "已提供的套数",
    "Office queue": "参赞处排队",
    "Technology index": "技术指数",
    "Technology index: the mean share of enterprises that have adopted each of the five kinds (0 to 1).": (
        "技术指数：五类资料中每一类的企业采用比例的平均值（0 到 1）。"
    ),
    # downloads
    "Channel figure (PNG)": "渠道图（PNG）",
    "Enterprises figure (PNG)": "企业图（PNG）",
    "Series figure (PNG)": "时间序列图（PNG）",
    "Time series (CSV)": "时间序列（CSV）",
    # the figures
    "Requests in flight, by stage": "在途请求（按阶段）",
    "Lead time of requests delivered": "已交付请求的周期",
    "Sets delivered to enterprises (cumulative)": "交付企业的套数（累计）",
    "Sets supplied by the USSR (cumulative)": "苏联提供的套数（累计）",
    "Record, end of period": "史料记载（期末）",
    "Share of enterprises that have adopted": "已采用的企业比例",
    "Share of Chinese enterprises that have adopted": "已采用的中国企业比例",
    "Requests waiting at the channels": "各渠道排队的请求",
    "Russian text awaiting translation": "待翻译的俄文资料",
    "Requests": "请求",
    "Days": "天",
    "Sets": "套",
    "Share (0-1)": "比例（0-1）",
    "Pages": "页",
    "Year (ticks at 1 January)": "年份（刻度为 1 月 1 日）",
    "Lead time": "周期",
    "Pages awaiting translation": "待翻译页数",
    "In transit": "途中",
    "Queued": "排队",
    "Forwarded": "已转交",
    "Under review": "审查中",
    "Approved": "已批准",
    "Copying": "复制中",
    "Shipped": "已发运",
    "Arrived": "已到达",
    "Translating": "翻译中",
    "Record": "史料记录",
    " ({total} in all)": "（合计 {total}）",
    "◆ The record (rows of data/history_targets.csv, source grade A-C):": (
        "◆ 史料记载（data/history_targets.csv 的行，来源可靠性等级 A-C）："
    ),
    "Chinese ministries": "中国各部",
    "Channels": "渠道",
    "Soviet agencies": "苏联机构",
    "Soviet enterprises": "苏联企业",
    "Channel network: node area = requests waiting or in work (dashed: closed channel)": (
        "渠道网络：节点面积 = 排队或处理中的请求（虚线：渠道关闭）"
    ),
    "Enterprises by sector: colour = share of the five kinds adopted": "各部门企业：颜色 = 五类资料的采用比例",
    "Share of the five kinds adopted (0-1)": "五类资料的采用比例（0-1）",
    "{shown} of {n} Chinese enterprises": "{n} 家中国企业中的 {shown} 家",
    # compare
    "Compare with the same seed": "用同一随机种子比较",
    "Scenario B": "情景 B",
    "Change in B (key = value; several separated by ;)": "B 的改动（键 = 值；多项以 ; 分隔）",
    "Run both until (YYYY-MM-DD)": "两者都运行到（年-月-日）",
    "Run comparison": "运行比较",
    "Running both scenarios…": "正在运行两个情景……",
    "Figure": "指标",
    "Unit": "单位",
    "**A** is the scenario set in *Explore*: {label}, seed {seed}.": (
        "**A** 是在“探索”中设定的情景：{label}，随机种子 {seed}。"
    ),
    "{title} (seed {seed})": "{title}（随机种子 {seed}）",
    "seed: {old} → {new}": "随机种子：{old} → {new}",
    # refusals: the fixed text around the message of the command line
    ". The run keeps {kept}.": "。运行保持 {kept}。",
    "play until {text}: {error}; playing to the end": "播放到 {text}：{error}；播放到结束",
    "play until {date}: outside the run; choose a date after {start} and up to {end}": (
        "播放到 {date}：超出运行范围；请选择 {start} 之后、{end} 及以前的日期"
    ),
    "run both until {text}: {error}": "两者都运行到 {text}：{error}",
    "run both until {date}: outside the runs; choose a date after {start} and up to {end}": (
        "两者都运行到 {date}：超出运行范围；请选择 {start} 之后、{end} 及以前的日期"
    ),
    "seed {text}: give a whole number from 0 to {most}; the run keeps seed {seed}": (
        "随机种子 {text}：请输入 0 到 {most} 的整数；运行保持随机种子 {seed}"
    ),
    # the comparison's figures (sim.compare) and its table (sim.outputs)
    "Sets of documentation supplied by the USSR (cumulative)": "苏联提供的资料套数（累计）",
    "All five kinds": "全部五类",
    "Share adopted (0-1)": "采用比例（0-1）",
    "Technology index (mean)": "技术指数（平均）",
    "Requests waiting at the two channels": "两个渠道排队的请求",
    "Requests waiting": "排队的请求",
    "Commercial Counsellor's Office": "商务参赞处",
    "Joint commission (from 1954)": "联合委员会（1954 年起）",
    **{f"{CATEGORY_LABELS[key]} supplied 1953-1962": f"{text}：1953—1962 年提供" for key, text in _CATEGORIES.items()},
    **{f"{CATEGORY_LABELS[key]} delivered": f"{text}：已交付" for key, text in _CATEGORIES.items()},
    **{f"Adoption: {CATEGORY_LABELS[key].lower()}": f"采用：{text}" for key, text in _CATEGORIES.items()},
    **{f"{CHANNEL_LABELS[key]}: requests": f"{text}：请求" for key, text in _CHANNELS.items()},
    **{f"{CHANNEL_LABELS[key]}: wait, mean": f"{text}：平均等待" for key, text in _CHANNELS.items()},
    **{f"{CHANNEL_LABELS[key]}: utilisation, mean": f"{text}：平均利用率" for key, text in _CHANNELS.items()},
    "Title": "标题",
    "Start": "开始",
    "Reached": "到达",
    "Steps": "步数",
    "Requests created": "已提出的请求",
    "Requests fulfilled": "已完成的请求",
    "Requests rejected": "被拒绝的请求",
    "Requests in flight": "在途请求",
    "Requests unsent": "未发出的请求",
    "Sets supplied 1953-1962": "1953—1962 年提供的套数",
    "Sets supplied 1953-1957": "1953—1957 年提供的套数",
    "Sets supplied 1958-1962": "1958—1962 年提供的套数",
    "Standards supplied 1954-1957": "1954—1957 年提供的标准",
    "Lead time, mean": "周期，平均",
    "Lead time, median": "周期，中位数",
    "Approval share": "批准比例",
    "Office queue, largest": "参赞处排队，最多",
    "Pages awaiting translation, at the end": "待翻译页数，期末",
    "National standards": "国家标准",
    "text": "文本",
    "seed": "随机种子",
    "date": "日期",
    "steps": "步",
    "requests": "请求",
    "sets": "套",
    "days": "天",
    "share": "比例",
    "pages": "页",
    "standards": "项标准",
}


#: The page's fonts, the CJK font last (for the Chinese text the others lack).
PAGE_FONTS = '"Roboto", "DejaVu Sans", sans-serif, "WenQuanYi Micro Hei"'


def translator(language: str) -> Translate:
    """The function that puts English interface text into ``language`` (``en`` or ``zh``).

    Args:
        language: A key of :data:`LANGUAGES`.

    Returns:
        A function of one text: its translation, or the text itself where there is none.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if language == "en":
        return same
    return _chinese


def _chinese(text: str) -> str:
    """中文: the text's translation, or the text itself where there is none.

    One function, not a new one per call, so that a page's components see the same translator
    from one render to the next and are not drawn again for it.
    """
    return ZH.get(text, text)


def same(text: str) -> str:
    """English: the text as written."""
    return text
