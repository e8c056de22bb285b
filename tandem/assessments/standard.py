"""The standard WBA forms: mini-CEX and case-based discussion on the nine-point scale
(1–3 below expectations, 4–6 meets them, 7–9 above), DOPS on the six-point scale. Written by
a data migration; a program adds forms of its own."""

from typing import Any


def _d(code: str, name: str, name_zh: str) -> dict[str, str]:
    return {"code": code, "name": name, "name_zh": name_zh}


STANDARD_FORMS: list[dict[str, Any]] = [
    {
        "kind": "mini_cex",
        "name": "Mini-CEX",
        "name_zh": "迷你临床演练评估（Mini-CEX）",
        "scale_min": 1,
        "scale_max": 9,
        "domains": [
            _d("history", "History taking", "病史采集"),
            _d("examination", "Physical examination", "体格检查"),
            _d("communication", "Communication skills", "沟通技能"),
            _d("judgement", "Clinical judgement", "临床判断"),
            _d("professionalism", "Professionalism", "人文关怀与职业素养"),
            _d("efficiency", "Organisation and efficiency", "组织效能"),
            _d("overall", "Overall clinical care", "整体临床能力"),
        ],
    },
    {
        "kind": "dops",
        "name": "DOPS",
        "name_zh": "操作技能直接观察评估（DOPS）",
        "scale_min": 1,
        "scale_max": 6,
        "domains": [
            _d("indications", "Indications, anatomy and technique", "适应证、解剖与操作知识"),
            _d("consent", "Informed consent", "知情同意"),
            _d("preparation", "Preparation before the procedure", "操作前准备"),
            _d("technique", "Technical ability", "操作技术"),
            _d("asepsis", "Aseptic technique", "无菌技术"),
            _d("help", "Seeks help where appropriate", "适时寻求帮助"),
            _d("aftercare", "Management after the procedure", "操作后处理"),
            _d("communication", "Communication skills", "沟通技能"),
            _d("overall", "Overall performance", "整体表现"),
        ],
    },
    {
        "kind": "cbd",
        "name": "Case-based discussion",
        "name_zh": "基于病例的讨论（CbD）",
        "scale_min": 1,
        "scale_max": 9,
        "domains": [
            _d("records", "Medical record keeping", "病历书写"),
            _d("assessment", "Clinical assessment", "临床评估"),
            _d("investigations", "Investigations and referrals", "检查与转诊"),
            _d("treatment", "Treatment", "治疗"),
            _d("planning", "Follow-up and future planning", "随访与后续计划"),
            _d("professionalism", "Professionalism", "职业素养"),
            _d("overall", "Overall clinical judgement", "整体临床判断"),
        ],
    },
]
