"""Search words of the category and place pickers: pinyin initials from GB 2312's order, visitors' words."""
from intake.reception.typeahead import SYNONYMS, pinyin_initials, search_words


def test_pinyin_initials_of_common_characters():
    assert pinyin_initials("拖欠工资") == "tqgz"
    assert pinyin_initials("欠薪") == "qx"
    assert pinyin_initials("台城街道") == "tcjd"
    assert pinyin_initials("A区3号") == "aq3h"


def test_unpaid_wages_are_found_by_qx_and_by_qianxin():
    words = search_words("拖欠工资", "劳动社保", SYNONYMS["labour.wages"]).split()
    assert "qx" in words and "欠薪" in words and "tqgz" in words and "ldsb" in words
