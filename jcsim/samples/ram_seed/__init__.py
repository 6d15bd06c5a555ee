"""The RAM over HTTP seed sample: ``SeedApplet`` on the card, ``seed_script.perform`` on the
server. Run both ends::

    jcsim ram-server jcsim.samples.ram_seed.seed_script:perform --port 8080
    jcsim remote-card http://127.0.0.1:8080/rt/seed \\
        --default-applet jcsim.samples.ram_seed:SeedApplet E82B0601040181C31F0201
"""

from jcsim.samples.ram_seed.seed_applet import AID, SeedApplet

__all__ = ["AID", "SeedApplet"]
