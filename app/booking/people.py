"""Who a person is, for the per-person rules: the same mailbox however its address is written.

Slots are scarce and resold (PRODUCT.md, "Security and privacy"): ``Name+1@…``, ``name+2@…`` and,
where the provider ignores dots, ``n.ame@…`` are one person.
"""

# Providers that deliver ``n.ame@`` and ``name@`` to the same mailbox.
DOTS_IGNORED = frozenset({"gmail.com", "googlemail.com"})


def email_key(address: str) -> str:
    """The address as the rules compare it: lower case, without a ``+tag``, and without dots
    in the local part where the provider ignores them."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{domain}"
