"""Java remote interfaces: their methods and method ids come from the Java descriptors
(JCRE 3.0.5 §8.3.3: the first two bytes of SHA-1 of name and descriptor)."""

from __future__ import annotations

from pathlib import Path

from jcsim.java import JavaClasspath
from jcsim.rmi.remote import interface_methods, is_remote_interface
from tests.java.conftest import compile_card_java

ACCOUNT = """package rr;
import java.rmi.Remote;
import java.rmi.RemoteException;
public interface Account extends Remote {
    short getBalance() throws RemoteException;
    void debit(short amount) throws RemoteException;
    void credit(short amount) throws RemoteException;
    void setAccountNumber(byte[] number) throws RemoteException;
    byte[] getAccountNumber() throws RemoteException;
    Account self() throws RemoteException;
    Owner owner() throws RemoteException;
}
"""
OWNER = """package rr;
import java.rmi.Remote;
import java.rmi.RemoteException;
public interface Owner extends Remote {
    Account account() throws RemoteException;
    boolean check(byte[] pin, boolean reset) throws RemoteException;
}
"""


def test_method_ids_come_from_the_java_descriptors(tmp_path: Path) -> None:
    sources = []
    for name, text in (("Account", ACCOUNT), ("Owner", OWNER)):
        path = tmp_path / "src" / "rr" / f"{name}.java"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sources.append(path)
    classes = JavaClasspath([compile_card_java(sources, tmp_path / "classes")])
    account, owner = classes["rr.Account"], classes["rr.Owner"]
    assert is_remote_interface(account) and is_remote_interface(owner)
    methods = interface_methods(account)
    # The vectors of ../shared/spec/java-card-runtime.md §1.3.
    ids = {name: method.method_id() for name, method in methods.items()}
    assert ids["getBalance"] == 0xECA8 and ids["debit"] == 0x9357 and ids["credit"] == 0xF10F
    assert ids["setAccountNumber"] == 0x1544 and ids["getAccountNumber"] == 0x2778
    # Remote references to itself and to an interface that refers back.
    assert methods["self"].returns is account and methods["owner"].returns is owner
    assert interface_methods(owner)["account"].returns is account
    assert interface_methods(owner)["check"].descriptor == "([BZ)Z"
