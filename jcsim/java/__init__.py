"""Java Card applets compiled by javac, run unmodified on the jcsim runtime.

``JavaClasspath([dirs_or_jars])`` loads class files (javac 7 to 21) and jars; each Java class
becomes a Python class that the simulator installs like a Python applet class::

    classes = JavaClasspath(["build/classes"])
    sim.install(classes["com.example.wallet.Wallet"], aid="A0 00 00 00 62 03 01 0C 06 01")

Calls to the Java Card API run jcsim's own implementation; fields, array elements and statics
live in the card's journaled store. See docs/java-applets.md.
"""

from jcsim.java.classfile import JavaClassError
from jcsim.java.linker import JavaExecutionError, JavaLinkError
from jcsim.java.loader import JavaClasspath

__all__ = ["JavaClassError", "JavaClasspath", "JavaExecutionError", "JavaLinkError"]
