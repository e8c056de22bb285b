"""The built-in example milestone set (internal medicine), created on demand by
`services.builtin_set_ensure` for the demo and for hospitals that have no set of their own.
A short example in the shape of the ACGME milestones, not an official text."""

from typing import Any


def _levels(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return list(pairs)


EXAMPLE: dict[str, Any] = {
    "version": "example-1",
    "name": "Internal medicine milestones (example)",
    "name_zh": "内科里程碑（示例）",
    "subcompetencies": [
        {
            "code": "PC1",
            "domain": "patient_care",
            "name": "History and physical examination",
            "name_zh": "病史采集与体格检查",
            "levels": _levels(
                (
                    "Collects a basic history and examination with guidance",
                    "在指导下完成基本病史和体检",
                ),
                ("Collects a complete history and examination", "独立完成完整病史和体检"),
                ("Adapts the history and examination to the problem", "根据问题调整病史和体检"),
                (
                    "Finds subtle findings efficiently in complex patients",
                    "在复杂病例中高效发现细微体征",
                ),
                ("Role model; teaches others", "作为示范并指导他人"),
            ),
        },
        {
            "code": "PC2",
            "domain": "patient_care",
            "name": "Clinical reasoning and management",
            "name_zh": "临床推理与处理",
            "levels": _levels(
                ("Lists the common diagnoses of a problem", "列出常见诊断"),
                ("Builds a prioritised differential diagnosis", "建立有优先次序的鉴别诊断"),
                ("Manages common conditions with indirect supervision", "在间接督导下处理常见病"),
                ("Manages complex conditions independently", "独立处理复杂病情"),
                (
                    "Manages rare and complex conditions; leads the team",
                    "处理罕见复杂病情并领导团队",
                ),
            ),
        },
        {
            "code": "MK1",
            "domain": "medical_knowledge",
            "name": "Clinical knowledge",
            "name_zh": "临床知识",
            "levels": _levels(
                ("Knows the basic sciences of common conditions", "掌握常见病的基础知识"),
                ("Applies knowledge to common conditions", "将知识用于常见病"),
                ("Applies knowledge to complex conditions", "将知识用于复杂病情"),
                ("Integrates current evidence in decisions", "在决策中整合最新证据"),
                ("Contributes to the knowledge of the field", "为学科知识作出贡献"),
            ),
        },
        {
            "code": "PROF1",
            "domain": "professionalism",
            "name": "Professional behaviour and accountability",
            "name_zh": "职业行为与责任",
            "levels": _levels(
                ("Completes tasks when reminded", "在提醒下完成任务"),
                ("Completes tasks on time", "按时完成任务"),
                ("Takes responsibility for the patients' care", "对患者的诊疗负责"),
                ("Acts on lapses of others and the system", "纠正他人和系统的疏漏"),
                ("Leads a culture of accountability", "引领负责任的文化"),
            ),
        },
        {
            "code": "ICS1",
            "domain": "communication",
            "name": "Communication with patients and families",
            "name_zh": "与患者及家属的沟通",
            "levels": _levels(
                ("Communicates clearly in simple situations", "在简单情境中清晰沟通"),
                ("Explains the plan and checks understanding", "解释方案并确认理解"),
                ("Handles difficult conversations with support", "在支持下处理困难谈话"),
                ("Handles difficult conversations independently", "独立处理困难谈话"),
                ("Teaches communication to others", "指导他人沟通"),
            ),
        },
    ],
    "epas": [
        {
            "code": "EPA1",
            "name": "Admit and manage a patient on the ward",
            "name_zh": "收治并管理病房患者",
        },
        {
            "code": "EPA2",
            "name": "Recognise and manage a deteriorating patient",
            "name_zh": "识别并处理病情恶化的患者",
        },
        {"code": "EPA3", "name": "Hand over the care of patients", "name_zh": "交接患者诊疗"},
    ],
}
