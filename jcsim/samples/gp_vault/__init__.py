"""The GlobalPlatform vault sample: an applet that keeps a secret behind the issuer security
domain's secure channel (``org.globalplatform.SecureChannel``)."""

from jcsim.samples.gp_vault.vault import Vault

__all__ = ["Vault"]
