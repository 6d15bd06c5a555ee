"""Installing applets and loading packages, and deleting them again (JCRE 3.0.5 ch. 11;
the JCRE's side of ``Applet.install`` / ``register``).

``install`` builds the install parameters (``len AID AID len control len data``, at most 127
bytes), loads the applet's package and the packages it imports, calls the class's ``install``
in a new context, and keeps the instance only if it registered; a failed installation gives
back what it allocated. ``delete_applet`` / ``delete_package`` carry out deletion requests
through ``deletion``. A part of ``Card``; ``card_state`` declares the state the parts share.
"""

from __future__ import annotations

import inspect

from jcsim.errors import InstallError
from jcsim.framework.aid import AID
from jcsim.framework.applet import Applet
from jcsim.framework.arrays import ByteArray
from jcsim.framework.interfaces import ExtendedLength, MultiSelectable
from jcsim.package import PackageError, import_package, resolve_module
from jcsim.runtime.card_manager import CardManager
from jcsim.runtime.card_state import CardState
from jcsim.runtime.dispatch import call_in_context
from jcsim.runtime.global_stores import check_package
from jcsim.runtime.registry import AppletRecord, PackageRecord

__all__ = ["Installer"]


def _check_multiselectable_methods(applet_class: type) -> None:
    # Java will not compile a MultiSelectable applet without select(boolean) and
    # deselect(boolean). In Python a class that inherits Applet before MultiSelectable and
    # overrides neither would get Applet.select() for both calls and fail at the first
    # multiselection with a TypeError; refuse it at install, where the cause is clear.
    for name, argument in (("select", "appInstAlreadyActive"), ("deselect", "appInstStillActive")):
        try:
            signature = inspect.signature(getattr(applet_class, name))
            signature.bind(None)
            signature.bind(None, True)
        except (TypeError, ValueError) as exc:
            raise InstallError(
                f"{applet_class.__name__} implements MultiSelectable, so its {name} must accept "
                f"both {name}() and {name}({argument}): define "
                f"{name}(self, {argument}=None)") from exc



class Installer(CardState):
    """A part of ``Card``: installation, package loading, deletion."""

    def install(self, applet_class: type[Applet], aid: bytes, params: bytes = b"",
                privileges: bytes = b"", default_on: frozenset[str] = frozenset()) -> AID:
        """Create an applet instance through its ``install`` method; returns its AID."""
        if not isinstance(applet_class, type):
            raise InstallError(f"{applet_class!r} is not an applet class")
        if not 5 <= len(aid) <= 16:
            raise InstallError(f"an AID has 5 to 16 bytes, not {len(aid)}")
        if self.registry.find(aid) is not None:
            raise InstallError(f"AID {aid.hex().upper()} is already in use")
        for name in default_on:
            if name not in self.interfaces:
                raise InstallError(f"no interface named {name!r}")
            current = self.registry.default_for(name)
            if current is not None:
                raise InstallError(f"{current!r} is already the default applet on {name}")
        multiselectable = issubclass(applet_class, MultiSelectable)
        package = self.load_package(applet_class.__module__)
        if package.multiselectable is not None and package.multiselectable != multiselectable:
            raise InstallError(
                f"package {package.name} mixes MultiSelectable and non-MultiSelectable applet "
                f"classes ({applet_class.__name__} is {'' if multiselectable else 'not '}"
                "MultiSelectable): all applets of a package must agree")
        if multiselectable:
            _check_multiselectable_methods(applet_class)
        install_data = (bytes((len(aid),)) + aid + bytes((len(privileges),)) + privileges
                        + bytes((len(params),)) + params)
        if len(install_data) > 127:
            raise InstallError("install parameters exceed 127 bytes with AID and privileges")
        record = AppletRecord(applet_class, package, multiselectable=multiselectable,
                              extended_length=issubclass(applet_class, ExtendedLength))
        b_array = ByteArray(install_data)
        # A JCRE global array: no owner, no persistent memory, no journal, also when the card
        # manager's INSTALL makes it from card code (where new arrays are adopted).
        self.memory.release(b_array)
        b_array._owner = None
        b_array._store = None
        self._installing, self._install_aid = record, aid
        try:
            call_in_context(self, record, applet_class.install, b_array, 0, len(install_data))
            if self.journal.depth:
                self.abort_transaction()
                raise InstallError(f"{applet_class.__name__}.install() left a transaction open;"
                                   " the JCRE aborted it and the installation failed")
        except InstallError:
            self._discard_failed_install(record)
            raise
        except Exception as exc:
            if self.journal.depth:
                self.abort_transaction()
            self._discard_failed_install(record)
            raise InstallError(f"{applet_class.__name__}.install() raised {exc!r}") from exc
        finally:
            self._installing = self._install_aid = None
            b_array._jc_clear()
        registered_aid = record.aid
        if record.instance is None or registered_aid is None:
            self._discard_failed_install(record)
            raise InstallError(f"{applet_class.__name__}.install() did not register an applet")
        record.default_on = frozenset(default_on)
        record.privileges = bytes(privileges)
        package.multiselectable = multiselectable
        self.registry.applets.append(record)
        self.registry_changes += 1
        return registered_aid

    def _discard_failed_install(self, record: AppletRecord) -> None:
        # JCRE §11.1.5: after a failed installation the JCRE cleans up, so the objects the
        # would-be instance made give their memory back.
        from jcsim.runtime.deletion import discard_objects_of

        discard_objects_of(self, record)

    def load_package(self, module_name: str, _loading: tuple[str, ...] = ()) -> PackageRecord:
        """Load the package ``module_name`` belongs to (and the packages it imports) if it is
        not on the card yet; returns its record."""
        resolved = resolve_module(module_name)
        existing = self.registry.packages.get(resolved.name)
        if existing is not None:
            return existing
        if resolved.name in _loading:
            raise InstallError(f"packages import each other: {' -> '.join(_loading)}")
        for imported in resolved.imports:
            try:
                import_package(imported)
            except PackageError as exc:
                raise InstallError(f"{resolved.name} imports {imported}: {exc}") from exc
            self.load_package(imported, (*_loading, resolved.name))
        for other in self.registry.packages.values():
            if other.aid == resolved.aid:
                raise InstallError(f"package AID {resolved.aid.hex().upper()} of "
                                   f"{resolved.name} is already used by {other.name}")
        record = PackageRecord(resolved.name, resolved=resolved)
        check_package(record)
        self.registry.packages[resolved.name] = record
        self.registry_changes += 1
        return record

    # --- deletion (JCRE ch. 11) --------------------------------------------------------------

    def delete_applet(self, aid: bytes) -> None:
        """Delete one applet instance (``DeletionRefusedError`` when the rules forbid it)."""
        from jcsim.runtime.deletion import DeletionRefusedError, delete

        record = self.registry.find(aid)
        if record is None:
            raise DeletionRefusedError(f"no applet {aid.hex().upper()}", "not-found")
        if record.applet_class is CardManager:
            raise DeletionRefusedError("the card manager (the issuer security domain) cannot be "
                                       "deleted")
        delete(self, [record], [])

    def delete_package(self, aid: bytes, with_applets: bool = False) -> None:
        """Delete a package, and with ``with_applets`` its applet instances, all or nothing."""
        from jcsim.runtime.deletion import DeletionRefusedError, delete

        package = self.registry.package_by_aid(aid)
        if package is None:
            raise DeletionRefusedError(f"no package {aid.hex().upper()}", "not-found")
        if any(r.applet_class is CardManager for r in self.registry.applets
               if r.package is package):
            raise DeletionRefusedError("the card manager's package cannot be deleted")
        applets = [r for r in self.registry.applets if r.package is package] if with_applets \
            else []
        delete(self, applets, [package])

