"""What Java Card forbids is refused when the class is loaded, naming class, method, bytecode
offset and source line (Java Card 3 VM spec §2.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim.java import JavaClassError, JavaClasspath
from tests.java.conftest import write_and_compile

CASES = {
    "long": ("static int f(int a) {\n long x = a;\n return (int) (x * 3); }", "long"),
    "float": ("static int f(int a) {\n float x = a;\n return (int) (x / 2); }", "float"),
    "double": ("static int f(int a) {\n double x = 1.5;\n return (int) x; }", "double"),
    "string": ("static int f(int a) {\n String s = \"abc\";\n return s.length(); }", "String"),
    "synchronized_block": ("static int f(int a) {\n synchronized (Refused.class) {\n"
                           " return a; } }", "class literals"),
    "monitor": ("static Object lock = new Object();\nstatic int f(int a) {\n"
                " synchronized (lock) {\n return a; } }", "threads"),
    "multi_array": ("static int f(int a) {\n byte[][] x = new byte[2][3];\n"
                    " return x.length; }", "multi-dimensional"),
    "lambda": ("interface Op { int run(int a); }\nstatic int f(int a) {\n Op op = x -> x + 1;\n"
               " return op.run(a); }", "invokedynamic"),
    "char": ("static int f(int a) {\n char c = (char) a;\n return c; }", "char"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_forbidden_features_are_refused_with_their_place(tmp_path: Path, case: str) -> None:
    body, expected = CASES[case]
    source = f"package refused;\npublic class Refused {{\n{body}\n}}\n"
    classes = write_and_compile(tmp_path, {"refused/Refused.java": source})
    with pytest.raises(JavaClassError) as raised:
        JavaClasspath([classes])["refused.Refused"]
    error = raised.value
    assert expected in str(error)
    assert error.class_name == "refused.Refused"
    if error.method is not None and error.method.startswith("f("):
        assert error.offset is not None and error.line is not None
        # The line is one of the method's own lines in the source.
        assert 3 <= error.line <= source.count("\n")


def test_a_long_field_is_refused(tmp_path: Path) -> None:
    classes = write_and_compile(tmp_path, {"refused/Field.java":
                                           "package refused;\npublic class Field { long big; }\n"})
    with pytest.raises(JavaClassError, match="long values .field big."):
        JavaClasspath([classes])["refused.Field"]


def test_the_refusal_names_the_exact_instruction(tmp_path: Path) -> None:
    source = ("package refused;\npublic class Exact {\n  static int f(int a) {\n"
              "    int b = a + 1;\n    long c = b;\n    return (int) c;\n  }\n}\n")
    classes = write_and_compile(tmp_path, {"refused/Exact.java": source})
    with pytest.raises(JavaClassError) as raised:
        JavaClasspath([classes])["refused.Exact"]
    assert raised.value.line == 5
    assert raised.value.method == "f(I)I"
    assert "i2l" in str(raised.value)
    assert "refused.Exact.f(I)I, bytecode offset" in str(raised.value)


def test_a_refused_class_used_by_another_is_refused_when_first_used(tmp_path: Path) -> None:
    classes = write_and_compile(tmp_path, {
        "refused/User.java": "package refused;\npublic class User {\n"
                             "public static int ok() { return 1; }\n"
                             "public static int bad() { return Wide.f(); } }\n",
        "refused/Wide.java": "package refused;\npublic class Wide {\n"
                             "static int f() {\n long x = 2;\n return (int) x; } }\n"})
    user = JavaClasspath([classes])["refused.User"]
    assert user.ok() == 1
    with pytest.raises(JavaClassError) as raised:
        user.bad()
    assert raised.value.class_name == "refused.Wide" and raised.value.line == 4
