"""Own-field access: an on-card method uses its own object's fields without the firewall hook.

The firewall (``firewall``) hooks every attribute read of an on-card object, about 200 ns a
read, and most reads in applet code are ``self.field`` in the object's own methods. Those cannot
fail the firewall: a method only runs in a context that was allowed to invoke it, since the
invocation itself was checked (the hooked lookup of ``obj.method``), or the JCRE switched to the
object's context to call it (``process``, ``select``, a Shareable interface method: JCRE 3.0.5
§6.2.8, class and object access behaviour).

So, once the firewall hooks are installed, the methods of each on-card class are compiled again
from their source the first time card code makes an instance of it, with ``self.name`` reads
rewritten (and ``self.name = value`` writes):

- a name that the class (or a base) defines, a method or a static: ``object.__getattribute__``,
  which is what the hook ends in once its check passes;
- any other name, an instance field: a read from the instance dict, taken once when the method
  starts, falling back to the hooked read when the dict lacks the name (a field never assigned,
  a static assigned later), or for a name some on-card class makes a data descriptor;
- ``self.field = value``: the hooked write without its check, still through the card's journal
  (transactions, tears and memory accounting see it as before), or the class's own
  ``__setattr__`` when it has one.

Augmented assignments and ``del``, nested functions, lambdas, comprehensions and generators keep
the hooked path, as does a method whose ``self`` is rebound. A method is left as it is whenever
its source cannot be had, or compiling that source again does not give back the very code that
runs (the file changed since the import): the rewrite never runs code the interpreter has not
already loaded. The rewritten code keeps the file's line numbers, so tracebacks, coverage and
debuggers see the method as written. The JCRE's own classes are not compiled (start-up cost).

What it gives up: a method called unbound on another context's object
(``Purse.debit(other, 1)``, not possible in Java) uses that object's fields unchecked.
"""

from __future__ import annotations

import __future__
import ast
import contextlib
import inspect
import linecache
import threading
import types
from collections import OrderedDict
from typing import Any

from jcsim.framework.card_object import Object
from jcsim.framework.java_class import DATA_DESCRIPTOR_NAMES, JavaClass

__all__ = ["compile_class", "enable", "enabled", "prepare"]

# Names the rewritten code reads from its module's globals (dunder names, so they are never
# mangled and cannot clash with an applet's own names).
_FIELDS = "__jcsim_fields__"
_GETATTR = "__jcsim_getattr__"
_WRITE = "__jcsim_write__"
# The local variable holding the instance dict.
_LOCAL = "__jcsim_self__"

_NESTED = inspect.CO_NESTED
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)

# The __future__ features a code object was compiled with: compiling it again needs the same.
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

_dict_of = Object.__dict__["__dict__"].__get__


def _write_own_field(obj: Any, name: str, value: Any, fields: dict[str, Any]) -> None:
    """``obj.name = value`` in one of ``obj``'s own methods: the firewall hook's write without
    its check, unless the object's class writes fields its own way."""
    store = fields.get("_jc_store")
    if store is None or type(obj).__setattr__ is not _checked_setattr:
        setattr(obj, name, value)
    else:
        store.write_field(obj, name, value, fields)
_checked_setattr: Any = None
# Each method's code as it was compiled -> as rewritten, by identity (equal code from another
# file is not the same code): the functions a class statement makes each time it runs (a class
# made in a function) share one code object.
_rewritten: dict[int, tuple[types.CodeType, types.CodeType]] = {}
_done: set[type] = set()
_lock = threading.Lock()
_JCRE_MODULES = "jcsim.runtime."
_enabled = False


def enable(checked_setattr: Any) -> None:
    """Turn the rewrite on: the firewall calls it when it installs its hooks, with the field
    write hook it installs on ``Object``."""
    global _enabled, _checked_setattr
    _checked_setattr = checked_setattr
    _enabled = True


def enabled() -> bool:
    return _enabled


def prepare(cls: type) -> None:
    """Compile ``cls`` and its on-card bases, once each, if the rewrite is on. Never raises:
    a class that cannot be compiled keeps the hooked accesses."""
    if not _enabled or cls in _done:
        return
    with _lock:  # cards on several threads may make their first objects at once
        for klass in cls.__mro__:
            if klass not in _done and isinstance(klass, JavaClass):
                _done.add(klass)
                # The JCRE's own classes (the card manager, the global PIN) are left as they
                # are: rarely on a command's path, and compiling them would slow every start.
                # So is Object, whose methods are the firewall's hooks and the journal's entry.
                if klass is Object or klass.__module__.startswith(_JCRE_MODULES):
                    continue
                try:
                    compile_class(klass)
                except Exception:  # an optimisation only: the hooked path stays correct
                    import logging  # only here: start-up does not load logging

                    logging.getLogger(__name__).debug("%s left uncompiled", klass.__qualname__,
                                                      exc_info=True)


def compile_class(cls: type) -> int:
    """Rewrite the own-field accesses of the methods ``cls`` defines; the number rewritten."""
    if any("__getattribute__" in vars(klass) or "__getattr__" in vars(klass)
           for klass in cls.__mro__ if klass is not Object and klass is not object):
        return 0  # its own attribute lookup (the crypto engines opt out of the hook) stays
    count = 0
    groups: dict[tuple[str, int], list[types.FunctionType]] = {}
    statements: dict[tuple[str, int], tuple[ast.Module, ast.stmt]] = {}
    for value in vars(cls).values():
        if isinstance(value, (staticmethod, classmethod)) or not callable(value):
            continue  # no ``self``
        # A decorated method: the function its decorators wrapped (functools.wraps).
        with contextlib.suppress(ValueError):
            value = inspect.unwrap(value)
        if type(value) is not types.FunctionType or not _eligible(value.__code__):
            continue
        code = value.__code__
        done = _rewritten.get(id(code))
        if done is not None and done[0] is code:  # another class from the same statement
            _install(value, done[1])
            count += 1
            continue
        module = _parsed(code.co_filename, value.__globals__)
        if module is None:
            continue
        statement = _statement_at(module, code.co_firstlineno)
        if statement is not None:
            groups.setdefault((code.co_filename, statement.lineno), []).append(value)
            statements[code.co_filename, statement.lineno] = (module, statement)
    for key, functions in groups.items():
        # Source that does not compile alone: the methods keep the hooked reads.
        with contextlib.suppress(SyntaxError, ValueError, TypeError, RecursionError):
            count += _compile_methods(cls, key[0], *statements[key], functions)
    return count


def _eligible(code: types.CodeType) -> bool:
    return code.co_argcount >= 1 and not code.co_flags & _NOT_PLAIN


# The syntax trees of the last few source files read: classes come file by file (a test module
# defines many), and a tree takes about 200 bytes a node, so only a few are kept.
_modules: OrderedDict[str, ast.Module | None] = OrderedDict()
_MODULES_KEPT = 8


def _parsed(filename: str, module_globals: dict[str, Any]) -> ast.Module | None:
    """The syntax tree of a source file; None without a readable source."""
    if filename in _modules:
        _modules.move_to_end(filename)
        return _modules[filename]
    lines = linecache.getlines(filename, module_globals)
    try:
        tree = ast.parse("".join(lines)) if lines else None
    except (SyntaxError, ValueError):
        tree = None
    _modules[filename] = tree
    if len(_modules) > _MODULES_KEPT:
        _modules.popitem(last=False)
    return tree


def _statement_at(module: ast.Module, line: int) -> ast.stmt | None:
    for statement in module.body:
        end = statement.end_lineno or statement.lineno
        if statement.lineno <= line <= end or _first_line(statement) <= line <= end:
            return statement
    return None


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


def _compile_methods(cls: type, filename: str, module: ast.Module, statement: ast.stmt,
                     functions: list[types.FunctionType]) -> int:
    # The top-level statement holding the methods (the class, or the function a test defines
    # it in) compiled again, after the module's imports: the compiler reads a method's
    # nesting, closure, name mangling and ``__class__`` cell from the statement, and whether a
    # name was imported (``Util.getShort(...)`` compiles differently then) from the imports.
    # Line numbers are the file's own.
    imports = [node for node in module.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    flags = functions[0].__code__.co_flags & _FUTURE_FLAGS
    original = compile(ast.Module(body=[*imports, statement], type_ignores=[]), filename,
                       "exec", flags, dont_inherit=True)
    # Past this check the statement's method nodes are rewritten in place: the cached tree then
    # holds them rewritten, which only makes a later check of the same methods fail (safe).
    chosen = []
    for function in functions:
        code = function.__code__
        found = _find(original, code)
        if found is None or not _same_code(found, code):
            continue  # the source on disk is not what runs
        node = _method_node(statement, code)
        if node is not None and _SelfReads(cls, node).rewrite():
            ast.fix_missing_locations(node)
            chosen.append(function)
    if not chosen:
        return 0
    rewritten = compile(ast.Module(body=[*imports, statement], type_ignores=[]), filename,
                        "exec", flags, dont_inherit=True)
    count = 0
    for function in chosen:
        code = function.__code__
        new = _find(rewritten, code)
        if new is None or new.co_freevars != code.co_freevars:
            continue
        new = new.replace(co_qualname=code.co_qualname)
        _rewritten[id(code)] = (code, new)
        _install(function, new)
        count += 1
    return count


def _install(function: types.FunctionType, code: types.CodeType) -> None:
    module_globals = function.__globals__
    module_globals.setdefault(_FIELDS, _dict_of)
    module_globals.setdefault(_GETATTR, object.__getattribute__)
    module_globals.setdefault(_WRITE, _write_own_field)
    function.__code__ = code


def _method_node(tree: ast.stmt, code: types.CodeType) -> ast.FunctionDef | None:
    for node in ast.walk(tree):
        if (isinstance(node, ast.FunctionDef) and node.name == code.co_name
                and _first_line(node) == code.co_firstlineno):
            return node
    return None


def _find(container: types.CodeType, code: types.CodeType) -> types.CodeType | None:
    for const in container.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == code.co_name and const.co_firstlineno == code.co_firstlineno:
                return const
            found = _find(const, code)
            if found is not None:
                return found
    return None


def _same_code(a: types.CodeType, b: types.CodeType) -> bool:
    if ((a.co_code, a.co_names, a.co_varnames, a.co_freevars, a.co_cellvars, a.co_argcount,
         a.co_posonlyargcount, a.co_kwonlyargcount, a.co_firstlineno, a.co_linetable,
         a.co_exceptiontable, a.co_flags & ~_NESTED, len(a.co_consts))
            != (b.co_code, b.co_names, b.co_varnames, b.co_freevars, b.co_cellvars, b.co_argcount,
                b.co_posonlyargcount, b.co_kwonlyargcount, b.co_firstlineno, b.co_linetable,
                b.co_exceptiontable, b.co_flags & ~_NESTED, len(b.co_consts))):
        return False
    for x, y in zip(a.co_consts, b.co_consts, strict=True):
        if isinstance(x, types.CodeType):
            if not (isinstance(y, types.CodeType) and _same_code(x, y)):
                return False
        elif type(x) is not type(y) or repr(x) != repr(y):
            return False
    return True


def _mangled(cls: type, name: str) -> str:
    stripped = cls.__name__.lstrip("_")
    if name.startswith("__") and not name.endswith("__") and stripped:
        return f"_{stripped}{name}"
    return name


def _defined_by_class(cls: type, name: str) -> bool:
    return any(name in vars(klass) for klass in cls.__mro__)


class _SelfReads(ast.NodeTransformer):
    """Rewrites ``self.name`` loads and stores in one method's own body (not in its nested
    scopes)."""

    def __init__(self, cls: type, method: ast.FunctionDef) -> None:
        self.cls = cls
        self.method = method
        arguments = method.args.posonlyargs + method.args.args
        self.param = arguments[0].arg if arguments else ""
        self.field_uses = 0
        self.rewrites = 0

    def rewrite(self) -> bool:
        if not self.param or self._rebinds_param():
            return False
        method = self.method
        method.body = [self.visit(statement) for statement in method.body]
        if self.field_uses:
            fetch = ast.Assign(
                targets=[ast.Name(_LOCAL, ast.Store())],
                value=ast.Call(ast.Name(_FIELDS, ast.Load()),
                               [ast.Name(self.param, ast.Load())], []))
            ast.copy_location(fetch, method.body[0])
            at = 1 if _is_docstring(method.body[0]) else 0
            method.body.insert(at, fetch)
        return self.rewrites > 0

    def _rebinds_param(self) -> bool:
        for node in ast.walk(self.method):
            if isinstance(node, ast.Name) and node.id == self.param and not isinstance(
                    node.ctx, ast.Load):
                return True
            if isinstance(node, (ast.Global, ast.Nonlocal)) and self.param in node.names:
                return True
        return False

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, _SCOPES):
            return node  # runs later, maybe elsewhere: keeps the hooked reads
        return super().generic_visit(node)

    def _own_name(self, node: ast.expr) -> str | None:
        """The attribute's name, mangled as the compiler would, when ``node`` is
        ``self.name`` and the name is not a dunder; else None."""
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == self.param):
            return None
        name = _mangled(self.cls, node.attr)
        return None if name.startswith("__") and name.endswith("__") else name

    def _is_field(self, name: str) -> bool:
        """Whether ``self.name`` is taken for an instance field: no class of the MRO defines
        the name, and no on-card class makes it a data descriptor."""
        return not _defined_by_class(self.cls, name) and name not in DATA_DESCRIPTOR_NAMES

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        name = self._own_name(node.targets[0]) if len(node.targets) == 1 else None
        if name is None or not self._is_field(name):
            return node
        self.rewrites += 1
        self.field_uses += 1
        call = ast.Call(ast.Name(_WRITE, ast.Load()),
                        [ast.Name(self.param, ast.Load()), ast.Constant(name), node.value,
                         ast.Name(_LOCAL, ast.Load())], [])
        return ast.copy_location(ast.Expr(call), node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        name = self._own_name(node) if isinstance(node.ctx, ast.Load) else None
        if name is None:
            return node
        if _defined_by_class(self.cls, name):
            self.rewrites += 1
            call = ast.Call(ast.Name(_GETATTR, ast.Load()),
                            [ast.Name(self.param, ast.Load()), ast.Constant(name)], [])
            return ast.copy_location(call, node)
        if not self._is_field(name):
            return node  # a data descriptor some on-card class defines: the hooked read
        self.rewrites += 1
        self.field_uses += 1
        fields = ast.Name(_LOCAL, ast.Load())
        read = ast.IfExp(
            test=ast.Compare(ast.Constant(name), [ast.In()], [fields]),
            body=ast.Subscript(ast.Name(_LOCAL, ast.Load()), ast.Constant(name), ast.Load()),
            orelse=node)
        return ast.copy_location(read, node)


def _is_docstring(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))

