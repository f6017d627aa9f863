"""The TC kimlik number: ASCII digits only, and a mask that hides enough to mean something."""

import pytest
from django.urls import reverse

from biys.org.tests.factories import tc_kimlik_no
from biys.org.validators import (
    is_valid_tc_kimlik_no,
    mask_tc_kimlik_no,
    validate_tc_kimlik_no,
)

VALID = "10000000146"


def test_ascii_digits_pass():
    assert is_valid_tc_kimlik_no(VALID)


@pytest.mark.parametrize(
    "value",
    [
        "".join(chr(0x0660 + int(char)) for char in VALID),  # Arabic-Indic digits
        "".join(chr(0x06F0 + int(char)) for char in VALID),  # Extended Arabic-Indic
        "1000000014\u00b2",  # superscript two: int() raises ValueError on it
        "1000000014\u0666",
        "０" + VALID[1:],  # fullwidth
    ],
)
def test_non_ascii_digits_are_rejected_without_raising(value):
    assert not is_valid_tc_kimlik_no(value)
    with pytest.raises(Exception) as raised:
        validate_tc_kimlik_no(value)
    assert raised.type.__name__ == "ValidationError"


def candidates_behind(mask: str) -> int:
    """How many valid TC kimlik numbers match ``mask`` ('*' hidden): counted exhaustively over
    the hidden digits by dynamic programming on the two checksums' running sums."""
    assert len(mask) == 11
    # state: (sum of digits 1,3,5,7,9 mod 10, sum of digits 2,4,6,8 mod 10) -> count
    states = {(0, 0): 1}
    for position in range(9):
        choices = (
            range(1 if position == 0 else 0, 10) if mask[position] == "*" else [int(mask[position])]
        )
        following = {}
        for (odd, even), count in states.items():
            for digit in choices:
                key = (
                    ((odd + digit) % 10, even) if position % 2 == 0 else (odd, (even + digit) % 10)
                )
                following[key] = following.get(key, 0) + count
        states = following
    total = 0
    for (odd, even), count in states.items():
        tenth = (odd * 7 - even) % 10
        eleventh = (odd + even + tenth) % 10
        if (mask[9] in ("*", str(tenth))) and (mask[10] in ("*", str(eleventh))):
            total += count
    return total


def test_candidate_counter_agrees_with_brute_force_on_a_small_mask():
    mask = VALID[:6] + "***" + VALID[9:]
    brute = sum(
        is_valid_tc_kimlik_no(f"{VALID[:6]}{hidden:03d}{VALID[9:]}") for hidden in range(1000)
    )
    assert candidates_behind(mask) == brute > 0


@pytest.mark.parametrize("seed", [1, 424242, 99999999])
def test_mask_leaves_at_least_a_million_candidates(seed):
    value = tc_kimlik_no(seed)
    mask = mask_tc_kimlik_no(value)
    assert len(mask) == 11 and value not in mask
    assert candidates_behind(mask) >= 1_000_000


@pytest.mark.django_db
def test_superscript_digit_in_the_person_form_is_a_field_error(client, admin_user, org_tree):
    client.force_login(admin_user)
    response = client.post(
        reverse("org:person_add"),
        {
            "first_name": "Ayşe",
            "last_name": "Yılmaz",
            "tc_kimlik_no": "1000000014\u00b2",
            "employment_type": "memur",
            "unit": org_tree["network"].pk,
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "tc_kimlik_no" in response.context["form"].errors
