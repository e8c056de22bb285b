# ruff: noqa: E501 (reference data: one row a line reads best)
"""The built-in supervision form and the example indicator list, made on demand (never by a
data migration: transactional tests flush reference data)."""

SUPERVISION_TITLE = "Supervision of a teaching activity"
SUPERVISION_TITLE_ZH = "教学活动督导听课评分"

SUPERVISION_SCALE = [
    {"value": 1, "label": "Poor", "label_zh": "差"},
    {"value": 2, "label": "Fair", "label_zh": "一般"},
    {"value": 3, "label": "Good", "label_zh": "好"},
    {"value": 4, "label": "Very good", "label_zh": "很好"},
    {"value": 5, "label": "Excellent", "label_zh": "优秀"},
]

# (section, section in Chinese, [(code, kind, prompt, prompt in Chinese)])
SUPERVISION_SECTIONS = [
    (
        "Preparation",
        "教学准备",
        [
            (
                "goals",
                "rating",
                "Clear teaching goals fitted to the residents",
                "教学目标明确，符合住院医师水平",
            ),
            ("material", "rating", "Well prepared cases and material", "病例和资料准备充分"),
        ],
    ),
    (
        "Teaching",
        "教学过程",
        [
            (
                "method",
                "rating",
                "Interactive, case-based method",
                "采用互动式、以病例为基础的教学方法",
            ),
            ("bedside", "rating", "Bedside skills shown and corrected", "床旁技能示范与纠正到位"),
            ("thinking", "rating", "Clinical reasoning taught", "注重临床思维培养"),
            ("time", "rating", "Time kept and well used", "时间安排合理"),
        ],
    ),
    (
        "Overall",
        "总体评价",
        [
            ("overall", "rating", "Overall quality of the activity", "本次活动总体质量"),
            ("strengths", "narrative", "Strengths", "优点"),
            ("improve", "narrative", "What should be improved", "需改进之处"),
        ],
    ),
]

# (group, group in Chinese, indicator, indicator in Chinese, maximum score)
BUILT_IN_INDICATORS = [
    (
        "Infrastructure",
        "基本条件",
        "Beds, outpatient volume and case mix meet the standard",
        "床位数、门诊量及病种满足标准",
        "10",
    ),
    (
        "Infrastructure",
        "基本条件",
        "Skills training centre and equipment",
        "技能培训中心及设备",
        "5",
    ),
    ("Teachers", "师资条件", "Qualified teachers in every department", "各科室带教师资合格", "10"),
    ("Teachers", "师资条件", "Teacher training and evaluation", "师资培训与考核", "5"),
    (
        "Training management",
        "过程管理",
        "Rotation schedules published and kept",
        "轮转计划公布并执行",
        "10",
    ),
    (
        "Training management",
        "过程管理",
        "Teaching activities held as the standards ask",
        "教学活动按标准开展",
        "10",
    ),
    (
        "Training management",
        "过程管理",
        "Orientation for every rotation start",
        "入科教育全覆盖",
        "5",
    ),
    ("Assessment", "考核评价", "Rotation-end assessments complete", "出科考核完整", "10"),
    (
        "Quality assurance",
        "质量控制",
        "Supervision and rectification followed up",
        "督导及整改落实",
        "10",
    ),
    (
        "Support",
        "保障措施",
        "Housing, pay and well-being of residents",
        "住院医师待遇及生活保障",
        "5",
    ),
]
