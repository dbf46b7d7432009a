"""Interface labels of the site, Chinese by default; ``SITE_LANGUAGE = "en"`` selects English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "home": "首页", "register": "现行有效规范性文件和规章库", "all_documents": "全部文件",
        "index_number": "索引号", "topic": "主题分类", "issuer": "发文机关", "written": "成文日期",
        "title": "标题", "doc_number": "发文字号", "published": "发布日期", "effective": "施行日期",
        "expires": "有效期至", "status": "有效性", "type": "类别", "version": "版本", "versions": "版本历史",
        "change_note": "修改说明", "compare": "与上一版比较", "interpretations": "政策解读",
        "interprets": "解读对象", "repeals": "废止文件", "repealed_by": "被以下文件废止",
        "amends": "修改文件", "amended_by": "被以下文件修改", "comment_period": "征求意见期",
        "consultation_result": "意见采纳情况", "result_of": "征求意见稿", "data_export": "数据下载",
        "demo": "演示内容", "as_of": "有效性计算日期", "no_documents": "暂无文件。",
        "in_force_version": "现行版本", "this_version": "本版本", "inserted": "插入：", "deleted": "删除：",
        "skip": "跳到正文", "latest": "最新文件", "documents": "文件", "metadata": "文件信息",
        "search": "搜索", "search_placeholder": "标题、文号或关键词", "page_not_found": "页面不存在",
    },
    "en": {
        "home": "Home", "register": "Register of normative documents and regulations in force",
        "all_documents": "All documents", "index_number": "Index number", "topic": "Topic",
        "issuer": "Issuer", "written": "Date written", "title": "Title", "doc_number": "Document number",
        "published": "Published", "effective": "Effective", "expires": "Valid until", "status": "Status",
        "type": "Type", "version": "Version", "versions": "Version history", "change_note": "Change note",
        "compare": "Compare with previous version", "interpretations": "Interpretations",
        "interprets": "Interprets", "repeals": "Repeals", "repealed_by": "Repealed by",
        "amends": "Amends", "amended_by": "Amended by", "comment_period": "Comment period",
        "consultation_result": "Consultation result", "result_of": "Draft", "data_export": "Data export",
        "demo": "Demonstration content", "as_of": "Status as of", "no_documents": "No documents yet.",
        "in_force_version": "Version in force", "this_version": "This version", "inserted": "Inserted: ",
        "deleted": "Deleted: ", "skip": "Skip to content", "latest": "Latest documents",
        "documents": "Documents", "metadata": "Document information", "search": "Search",
        "search_placeholder": "Title, number or keyword", "page_not_found": "Page not found",
    },
}


def labels_for(language: str) -> dict[str, str]:
    """Labels for ``language``; raises KeyError naming the choices for an unknown one."""
    if language not in LABELS:
        raise KeyError(f"SITE_LANGUAGE: expected one of {', '.join(LABELS)}, got {language!r}")
    return LABELS[language]
