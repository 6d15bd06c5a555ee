"""Python twins of the Java SIO pair in ``../sio``: the points server and its client, each in
its own package (so its own firewall context), with the same AIDs and commands."""
