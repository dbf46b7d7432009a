"""Realistic Chinese sentences for generated bodies.

At run time, sentences are extracted from the seed documents in
``/work/shared/seeds/`` (real official text, read only, never copied into this
repository); when the seeds are absent, or with ``use_seeds=False``, a built-in
bank of generic sentences written for this benchmark and a combinatorial sentence
template are used instead.

Every choice goes through the ``random.Random`` passed in, and the seed sentences
are sorted, so the same seeds and the same random state give the same text.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

SEED_DIR = Path("/work/shared/seeds")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ASCII_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
# Site chrome, Markdown-special characters, document numbers (a cited number could
# resolve to a generated document) and anything not plain Chinese prose.
_REJECT = re.compile(r"[A-Za-z<>\[\]#*_`|/\\@=~^{}$]|〔|〕|\d号|登录|版权|法宝|引证|相关新闻|网站首页|点击|收藏|打印|下载|字号|联系我们")
_LEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、．.]\s*")
_RESPONSIBILITY = re.compile(r"（[^（）]*(?:负责|牵头|责任部门|督促|配合)[^（）]*）(?=[。；]?$)")
# Regional wording left by the Traditional-to-Simplified conversion of one seed.
_REGIONAL = (("智慧财产权", "知识产权"), ("最佳化", "优化"), ("视窗", "窗口"), ("连结", "连接"), ("网路", "网络"), ("资讯", "信息"))
_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("‘", "’"))

# Built-in sentences, written for this benchmark (generic administrative prose).
BUILTIN = [
    "各部门要高度重视，明确分管负责人和具体承办人员，确保各项工作按时完成。",
    "对工作中遇到的新情况、新问题，要及时研究提出解决办法，重大事项及时请示报告。",
    "本办法所称公共服务网点，是指经备案向社会公众提供知识产权信息检索、咨询和培训服务的机构。",
    "申请材料不齐全或者不符合法定形式的，应当一次性告知申请人需要补正的全部内容。",
    "有关单位应当建立工作台账，逐项明确责任人和完成时限，实行清单化管理。",
    "各地区应当结合本地实际，细化工作措施，形成可操作、可检查、可考核的具体方案。",
    "对群众反映集中的问题，要建立快速响应机制，在规定时限内予以答复。",
    "相关信息应当通过门户网站、政务新媒体等渠道及时向社会公开，方便公众查询。",
    "加强与有关部门的沟通协调，推动数据共享和业务协同，避免重复填报和多头报送。",
    "定期对执行情况开展评估，评估结果作为改进工作和完善制度的重要依据。",
    "审查人员应当严格遵守工作纪律，不得泄露在工作中知悉的商业秘密和个人信息。",
    "对违反本规定的行为，由主管部门责令限期改正；情节严重的，依法依规追究责任。",
    "鼓励行业协会发挥自律作用，引导会员单位诚信经营、规范执业。",
    "各单位要加强业务培训，提高工作人员的政策水平和服务能力。",
    "年度工作完成情况应当于次年一月底前报送办公室汇总。",
    "本规定由国家知识产权局负责解释，此前有关规定与本规定不一致的，以本规定为准。",
    "办理过程中需要补充材料的，补正时间不计入办理期限。",
    "对符合条件的申请，应当在受理之日起二十个工作日内作出决定。",
    "推行告知承诺制，对能够通过信息共享核验的事项，不再要求申请人提供证明材料。",
    "建立健全信用评价制度，将评价结果与日常监管、政策支持相挂钩。",
    "各级管理部门应当加强对下级部门的业务指导和监督检查，及时纠正发现的问题。",
    "涉及公众切身利益的重要政策，起草部门应当同步做好政策解读工作。",
    "公开内容涉及其他机关的，应当与有关机关协商、确认，保证公开的信息准确一致。",
    "要充分利用信息化手段，推动业务办理全流程留痕、可追溯。",
    "各项数据的统计口径应当保持一致，确保数据真实、准确、完整。",
    "对工作成效突出的单位和个人，按照有关规定给予表扬。",
    "试点期间形成的经验做法，要及时总结提炼，适时在更大范围推广。",
    "保密审查应当在信息公开前完成，未经审查的信息不得公开发布。",
    "档案材料应当按照有关规定及时整理归档，妥善保管。",
    "本通知印发前已经受理的事项，按照原规定办理。",
]

_SUBJECTS = ["各地区知识产权管理部门", "局机关各部门", "各直属单位", "专利代理机构", "地方知识产权局", "有关行业协会",
             "各受理窗口", "相关审查部门", "各省级知识产权管理部门", "信息公开工作机构", "各专利代办处", "公共服务机构"]
_MODALS = ["应当", "要", "须", "可以", "应", "要进一步"]
_ACTIONS = ["健全", "完善", "加强", "规范", "落实", "推进", "优化", "细化", "强化", "统筹"]
_OBJECTS = ["信息公开工作机制", "专利申请受理流程", "商标注册便利化措施", "知识产权保护协作机制", "政务服务事项清单",
            "数据共享和业务协同", "保密审查制度", "执法检查工作", "公共服务网点布局", "政策解读和回应关切工作",
            "信用监管体系", "档案管理制度", "统计调查工作", "人员培训和队伍建设", "质量管理体系", "投诉举报处理机制"]
_PURPOSES = ["确保各项要求落到实处", "提高工作透明度和公众满意度", "切实减轻企业和群众负担", "为创新主体提供更加便利的服务",
             "防止出现推诿扯皮", "形成上下联动的工作格局", "推动工作规范化、制度化", "不断提升治理效能",
             "营造良好的营商环境", "更好服务经济社会发展"]
_TIMES = ["", "", "每年年底前", "在规定时限内", "自本办法施行之日起", "按季度", "于每年三月底前",
          "在收到材料之日起十五个工作日内"]


def _balanced(sentence: str) -> bool:
    return all(sentence.count(a) == sentence.count(b) for a, b in _PAIRS)


def extract_seed_sentences(seed_dir: Path = SEED_DIR) -> list[str]:
    """Plain Chinese sentences of the seed texts (sorted, unique); [] when there are none."""
    if not seed_dir.is_dir():
        return []
    try:
        import opencc  # the Traditional-script seed is converted; without OpenCC it is skipped

        converter = opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - depends on the environment
        converter = None
    found: set[str] = set()
    for path in sorted(seed_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "國" in text or "發" in text:
            if converter is None:
                continue
            text = converter.convert(text)
        for regional, mainland in _REGIONAL:
            text = text.replace(regional, mainland)
        for line in text.splitlines():
            first = _CJK.search(line)
            if not first:
                continue
            chinese = _LEADING_NUMBER.sub("", line[first.start():].translate(_ASCII_TO_FULL).strip())
            for sentence in re.findall(r"[^。！？]+[。！？]", chinese):
                sentence = _RESPONSIBILITY.sub("", sentence.strip())
                cjk = len(_CJK.findall(sentence))
                if cjk < 14 or len(sentence) > 160 or cjk / len(sentence) < 0.75:
                    continue
                if _REJECT.search(sentence) or not _balanced(sentence) or sentence[0] in "，、；：》”）":
                    continue
                found.add(sentence)
    return sorted(found)


class SentenceBank:
    """Draws sentences; ``digest`` identifies the source text (for the corpus manifest)."""

    def __init__(self, use_seeds: bool = True, seed_dir: Path = SEED_DIR) -> None:
        self.seed_sentences = extract_seed_sentences(seed_dir) if use_seeds else []
        self.source = f"seeds ({len(self.seed_sentences)} sentences) + built-in" if self.seed_sentences else "built-in only"
        joined = "\n".join(self.seed_sentences + BUILTIN).encode("utf-8")
        self.digest = hashlib.sha256(joined).hexdigest()[:16]

    def sentence(self, rng: random.Random) -> str:
        roll = rng.random()
        if self.seed_sentences and roll < 0.55:
            return rng.choice(self.seed_sentences)
        if roll < 0.75:
            return rng.choice(BUILTIN)
        return self.template(rng)

    @staticmethod
    def template(rng: random.Random) -> str:
        pattern = rng.randrange(4)
        subject, modal, action = rng.choice(_SUBJECTS), rng.choice(_MODALS), rng.choice(_ACTIONS)
        obj, purpose, when = rng.choice(_OBJECTS), rng.choice(_PURPOSES), rng.choice(_TIMES)
        if pattern == 0:
            return f"{subject}{when}{modal}{action}{obj}，{purpose}。"
        if pattern == 1:
            return f"对{obj}中存在的问题，{subject}应当及时{rng.choice(_ACTIONS)}整改，{purpose}。"
        if pattern == 2:
            return f"{action}{obj}，{rng.choice(_ACTIONS)}{rng.choice(_OBJECTS)}，{purpose}。"
        return f"{subject}{modal}结合实际，制定{obj}的具体实施方案，并报国家知识产权局备案。"

    def sentences(self, rng: random.Random, count: int) -> str:
        return "".join(self.sentence(rng) for _ in range(count))

    def clause(self, rng: random.Random) -> str:
        """A short verb phrase without final punctuation (list items, tasks, headings)."""
        return f"{rng.choice(_ACTIONS)}{rng.choice(_OBJECTS)}"
