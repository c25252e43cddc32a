"""Resident ID numbers and phones: check digit, birth date, unknown areas as warnings, masking."""
from datetime import date

import pytest

from desk.idnumber import (InvalidIdNumber, InvalidPhoneNumber, check_digit, mask_id_number, mask_phone,
                           validate_phone, validate_resident_id)


def make(area="440781", birth="19850312", seq="123"):
    return area + birth + seq + check_digit(area + birth + seq)


def test_check_digit_known_example():
    assert check_digit("11010519491231002") == "X"   # the standard's published example


def test_valid_number():
    result = validate_resident_id(make(seq="123"), today=date(2026, 11, 23))
    assert result.birth_date == date(1985, 3, 12) and result.sex == "M"
    assert validate_resident_id(make(seq="124")).sex == "F"


def test_lowercase_x_and_spaces():
    number = "11010519491231002X"
    assert validate_resident_id(" 110105 19491231 002x ").normalized == number


@pytest.mark.parametrize("value,code", [
    (make()[:-1] + ("0" if make()[-1] != "0" else "1"), "checksum"),
    ("440781198502301234", "date"),
    (make(birth="20990101"), "date"),
    ("440781850312123", "format"),
    ("44078119850312123", "format"),
    ("abc", "format"),
])
def test_invalid_numbers(value, code):
    with pytest.raises(InvalidIdNumber) as err:
        validate_resident_id(value, today=date(2026, 11, 23))
    assert err.value.code == code


def test_unknown_area_is_a_warning_only():
    result = validate_resident_id(make(area="999999"))
    assert result.area_known is False and result.warning is not None


def test_masking():
    number = make()
    assert mask_id_number(number) == number[:6] + "********" + number[-4:]
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("07503123456").endswith("3456") and "*" in mask_phone("07503123456")


def test_phones():
    assert validate_phone("+86 138-1234-5678") == "13812345678"
    assert validate_phone("0750-3123456") == "07503123456"
    for bad in ("12345", "23812345678", "1381234567"):
        with pytest.raises(InvalidPhoneNumber):
            validate_phone(bad)


@pytest.mark.parametrize("area", ["440781", "440703"])  # 台山市, 蓬江区: in use today, whatever the birth year
def test_current_area_codes_have_no_warning(area):
    result = validate_resident_id(make(area=area, birth="19520101"), today=date(2026, 11, 23))
    assert result.area_known and result.warning is None and result.note is None


def test_retired_area_code_is_only_a_soft_note():
    result = validate_resident_id(make(area="440782"), today=date(2026, 11, 23))  # 新会市, 1992-2002
    assert result.area_known and result.warning is None
    assert "新会市" in str(result.note)
