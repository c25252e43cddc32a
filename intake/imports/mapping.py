"""Column mappings of the three export formats the desk imports, one ``SourceFormat`` per source.

12345 hotline work orders (政务服务便民热线工单), channel ``hotline``:
    工单编号 (the hotline's own id) · 来电时间 · 来电人 · 联系电话 · 身份证号 (optional) · 所属镇街 (town, by
    name or code, within the county) · 所属村居 (optional village of that town, by name or code) · 诉求类别 ·
    标题 · 诉求内容 · 诉求 (the demand, optional)
110 non-emergency transfers (110非警务警情移交), channel ``phone`` (a call to the police that is not a police
matter, passed on by telephone; the 12345 channel ``hotline`` stays the hotline's own):
    警情编号 · 报警时间 · 报警人 · 报警电话 · 身份证号 (optional) · 发生地点(镇街) · 发生地址 (optional, added to the
    facts) · 警情类别 · 简要警情 (the facts; the subject is their first sentence)
Grid platform events (综治网格化服务管理平台事件), channel ``grid``:
    事件编号 · 上报时间 · 上报人 (the grid member) · 当事人 (optional; the person the matter is about, else the
    reporter) · 联系电话 · 网格 (grid code or name, within the county) · 事件类型 · 事件标题 (optional) · 事件描述

Dates: 2026-11-03 09:15[:00], 2026/11/3 9:15, 2026年11月3日 9时15分, a date alone, or a spreadsheet date cell
(China time). A kind (诉求类别 / 警情类别 / 事件类型) is looked up in the source's table below, then as one of our
category codes or Chinese names, then by its first part before "-" or "/"; anything else lands in the source's
fallback category, for the receptionist to correct on acceptance.
"""
from dataclasses import dataclass

from desk.models import Channel


@dataclass(frozen=True)
class SourceFormat:
    code: str                                  # "12345", "110", "grid": stored with each imported record
    channel: Channel
    columns: dict[str, tuple[str, ...]]        # our field -> the headers that name it (first is written)
    required: frozenset[str]
    kinds: dict[str, str]                      # the source's kind -> our category code
    fallback_category: str


HOTLINE = SourceFormat(
    code="12345", channel=Channel.hotline,
    columns={"source_id": ("工单编号", "工单号"), "received_at": ("来电时间", "受理时间"), "name": ("来电人", "来电人姓名"),
             "phone": ("联系电话", "来电号码"), "id_number": ("身份证号", "证件号码"), "town": ("所属镇街", "镇街"),
             "village": ("所属村居", "村居"), "category": ("诉求类别", "诉求分类"), "title": ("标题", "工单标题"),
             "facts": ("诉求内容", "来电内容"), "demand": ("诉求", "具体诉求")},
    required=frozenset({"source_id", "received_at", "name", "phone", "town", "category", "title", "facts"}),
    kinds={"劳动保障-拖欠工资": "labour.wages", "劳动保障-工伤": "labour.injury", "劳动保障-社保": "labour.insurance",
           "劳动保障-劳动合同": "labour.contract", "城乡建设-物业管理": "housing.property",
           "城乡建设-房屋质量": "housing.quality", "城市管理-违章建筑": "housing.illegal",
           "城乡建设-征收拆迁": "housing.resettle", "国土资源-宅基地": "land.homestead",
           "国土资源-征地补偿": "land.compensation", "农业农村-土地承包": "land.contracting",
           "环境保护-噪声污染": "environment.noise", "环境保护-大气污染": "environment.pollution",
           "环境保护-水污染": "environment.water", "环境保护-养殖污染": "environment.odour",
           "市场监管-消费纠纷": "consumer.goods", "市场监管-预付卡": "consumer.prepaid",
           "市场监管-食品安全": "consumer.food", "卫生健康-医疗纠纷": "medical.malpractice",
           "医疗保障-医保报销": "medical.medicare", "民政-低保救助": "policy.welfare", "人社-养老保险": "policy.pension",
           "教育-入学": "policy.education", "交通运输-公交出行": "suggestion.transport",
           "市政设施-路灯道路": "suggestion.public", "侨务-侨房": "overseas.house", "投诉-工作人员": "accusation.staff"},
    fallback_category="policy",
)

POLICE_TRANSFER = SourceFormat(
    code="110", channel=Channel.phone,
    columns={"source_id": ("警情编号", "接警编号"), "received_at": ("报警时间", "接警时间"), "name": ("报警人", "报警人姓名"),
             "phone": ("报警电话", "联系电话"), "id_number": ("身份证号", "证件号码"),
             "town": ("发生地点(镇街)", "发生地点（镇街）", "所属镇街"), "address": ("发生地址", "详细地址"),
             "category": ("警情类别", "警情类型"), "facts": ("简要警情", "警情内容")},
    required=frozenset({"source_id", "received_at", "name", "phone", "town", "category", "facts"}),
    kinds={"邻里纠纷": "neighbour.boundary", "噪音扰民": "neighbour.noise", "家庭纠纷": "family.conflict",
           "婚姻家庭纠纷": "family.conflict", "赡养纠纷": "family.support", "劳资纠纷": "labour.wages",
           "经济纠纷": "neighbour.damage", "消费纠纷": "consumer.goods", "交通纠纷": "traffic.compensation",
           "电动车纠纷": "traffic.ebike", "土地纠纷": "land.homestead", "山林纠纷": "land.forest",
           "物业纠纷": "housing.property", "医患纠纷": "medical.malpractice", "环境污染": "environment.pollution",
           "渔事纠纷": "marine.boats", "求助": "policy.welfare"},
    fallback_category="neighbour",
)

GRID = SourceFormat(
    code="grid", channel=Channel.grid,
    columns={"source_id": ("事件编号",), "received_at": ("上报时间",), "reporter": ("上报人",),
             "name": ("当事人", "当事人姓名"), "phone": ("联系电话", "当事人电话"), "grid": ("网格", "所属网格"),
             "category": ("事件类型", "事件分类"), "title": ("事件标题",), "facts": ("事件描述", "事件内容")},
    required=frozenset({"source_id", "received_at", "reporter", "phone", "grid", "category", "facts"}),
    kinds={"矛盾纠纷-邻里纠纷": "neighbour.boundary", "矛盾纠纷-家庭纠纷": "family.conflict",
           "矛盾纠纷-劳资纠纷": "labour.wages", "矛盾纠纷-土地纠纷": "land.homestead",
           "矛盾纠纷-山林纠纷": "land.forest", "矛盾纠纷-物业纠纷": "housing.property",
           "环境卫生-污水排放": "environment.water", "环境卫生-养殖污染": "environment.odour",
           "城市管理-违章建筑": "housing.illegal", "公共设施-道路损坏": "suggestion.public",
           "民生服务-低保救助": "policy.welfare", "安全隐患-施工噪音": "environment.noise"},
    fallback_category="suggestion.governance",
)

SOURCES: dict[str, SourceFormat] = {s.code: s for s in (HOTLINE, POLICE_TRANSFER, GRID)}
