"""Translation engines behind one interface ("machinery"); see :mod:`iris.engines.base`."""
