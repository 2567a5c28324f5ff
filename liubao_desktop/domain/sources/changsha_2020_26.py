"""长政办发〔2020〕26号: the 39 quantitative targets of the Changsha "六保" plan, named by their exact phrases.

Values, units, comparators and most deadlines are read from the phrases by ``plan_parser``; only what the
phrase cannot say (a stock vs a cumulative target, a deadline stated elsewhere in the sentence) is given here.
"""
from __future__ import annotations

from datetime import date

from ..plan import KIND_DONE, KIND_RATE, KIND_STOCK
from ..plan_parser import TargetSpec

CODE = "changsha-2020-26"
SHORT_TITLE = "长沙市“六保”实施方案"
SOURCE_FILE = "changsha-2020-26.txt"
END_2020 = date(2020, 12, 31)

TARGETS: tuple[TargetSpec, ...] = (
    TargetSpec("1.1", "国有企业2020年至2021年招聘应届毕业生数量不低于新增岗位的50%", "国有企业招聘应届毕业生占新增岗位比例", KIND_RATE),
    TargetSpec("1.3", "全年援助就业困难人员就业1.4万人", "援助就业困难人员就业"),
    TargetSpec("1.3", "确保零就业家庭动态清零", "零就业家庭动态清零", KIND_DONE, deadline=END_2020),
    TargetSpec("1.4", "全年开展补贴类培训5万人次", "开展补贴类培训"),
    TargetSpec("2.2", "统筹铺排产业扶贫项目517个", "统筹铺排产业扶贫项目"),
    TargetSpec("2.2", "产业扶贫资金10371万元", "统筹铺排产业扶贫资金"),
    TargetSpec("2.3", "实现行政村卫生室标准化建设全覆盖", "行政村卫生室标准化建设全覆盖", KIND_DONE),
    TargetSpec("2.3", "新改建乡镇卫生院（社区卫生服务中心）5个", "新改建乡镇卫生院（社区卫生服务中心）"),
    TargetSpec("2.3", "村（社区）卫生室20个", "新改建村（社区）卫生室"),
    TargetSpec("2.3", "每个乡镇卫生院（社区卫生服务中心）配备全科医生2名", "每个乡镇卫生院配备全科医生", KIND_STOCK),
    TargetSpec("2.3", "新改扩建公办幼儿园30所", "新改扩建公办幼儿园"),
    TargetSpec("2.3", "增加公办幼儿园学位3万个", "增加公办幼儿园学位"),
    TargetSpec("2.3", "新改扩建义务教育学校25所", "新改扩建义务教育学校"),
    TargetSpec("2.3", "增加义务教育学校学位4万个", "增加义务教育学校学位"),
    TargetSpec("2.3", "筹集租赁房源2.5万套", "筹集租赁房源"),
    TargetSpec("2.3", "完成棚户区改造5116户", "完成棚户区改造"),
    TargetSpec("2.3", "发放租赁补贴2000户", "发放租赁补贴"),
    TargetSpec("2.3", "建好社区养老服务设施100家", "建好社区养老服务设施"),
    TargetSpec("2.3", "完成困难老年人家居适老化改造1000户", "困难老年人家居适老化改造"),
    TargetSpec("2.4", "2020年内统筹安排社会救助资金8.5亿元", "统筹安排社会救助资金"),
    TargetSpec("2.4", "计划安排1500万元", "特困家庭高等教育助学资金"),
    TargetSpec("2.4", "提质改造村级儿童之家35个", "提质改造村级儿童之家"),
    TargetSpec("3.3", "将国际货运航线扩充至10条", "国际货运航线", KIND_STOCK),
    TargetSpec("3.3", "开通中欧班列（长沙）500列以上", "开通中欧班列（长沙）"),
    TargetSpec("4.1", "严守我市基本农田保护面积23.22万公顷红线", "基本农田保护面积", KIND_STOCK),
    TargetSpec("4.1", "确保粮食企业百分之百复工复产", "粮食企业复工复产率", KIND_RATE),
    TargetSpec("4.2", "全年收购原粮40万吨", "收购原粮"),
    TargetSpec("4.2", "确保仓容166万吨完好", "完好仓容", KIND_STOCK),
    TargetSpec("4.2", "确保市、县两级地方储备粮规模18万吨", "市、县两级地方储备粮规模", KIND_STOCK),
    TargetSpec("4.2", "建立市级应急成品储备粮2.5万吨", "市级应急成品储备粮", KIND_STOCK),
    TargetSpec("4.3", "保证重点区域、重点品种全覆盖", "粮油市场监测重点区域、重点品种全覆盖", KIND_DONE),
    TargetSpec("4.5", "到2020年12月31日前供电能力达到1000万千瓦", "供电能力", KIND_STOCK),
    TargetSpec("4.5", "到2020年12月31日前，力争完成公共充电桩和充电车位10万个", "公共充电桩和充电车位"),
    TargetSpec("6.2", "力争全年完成市本级120亿元", "市本级盘活“三资”"),
    TargetSpec("6.2", "区县(市)100亿元盘活“三资”目标任务", "区县（市）盘活“三资”", deadline=END_2020),
    TargetSpec("6.3", "力争全年发行企业债券50亿元以上", "发行企业债券"),
    TargetSpec("6.3", "力争实现各项政策性资金在2019年基础上再提升10%", "政策性资金较2019年提升", KIND_RATE, deadline=END_2020),
    TargetSpec("6.4", "力争全年一般性支出压减20%", "一般性支出压减", KIND_RATE),
    TargetSpec("6.4", "“三公”经费压减30%", "“三公”经费压减", KIND_RATE, deadline=END_2020),
)
