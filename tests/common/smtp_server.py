"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1.

Prints "PORT <n>" once it listens, keeps every message it accepts as
<n>.eml in OUT with <n>.json beside it (the envelope, whether TLS carried
it, who logged in), refuses recipients listed in REFUSE, and stops when its
standard input closes. With CERT and KEY it offers STARTTLS, or with
IMPLICIT set too it speaks TLS from the first byte (smtps); with
USER_NAME and PASSWORD it accepts that login (over TLS only).
"""

import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

OUT = os.environ["OUT"]
REFUSE = {a.strip().lower() for a in os.environ.get("REFUSE", "").split(",") if a.strip()}


class Keep:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in REFUSE:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        Keep.count += 1
        base = os.path.join(OUT, "%03d" % Keep.count)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    # STARTTLS sets session.ssl; implicit TLS shows
                    # only on the connection.
                    "tls": session.ssl is not None
                    or server.transport.get_extra_info("ssl_object") is not None,
                    "user": getattr(session, "user_name", None),
                },
                f,
            )
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        auth_data.login.decode() == os.environ.get("USER_NAME")
        and auth_data.password.decode() == os.environ.get("PASSWORD")
    )
    if ok:
        session.user_name = auth_data.login.decode()
    return AuthResult(success=ok)


def main():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    kwargs = {}
    context = None
    if os.environ.get("CERT"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.environ["CERT"], os.environ["KEY"])
    if context is not None and os.environ.get("IMPLICIT"):
        kwargs["ssl_context"] = context
    elif context is not None:
        kwargs["tls_context"] = context
    if os.environ.get("USER_NAME"):
        kwargs["authenticator"] = authenticator
        # aiosmtpd counts only STARTTLS as TLS; on an smtps port every
        # byte is already encrypted.
        if os.environ.get("IMPLICIT"):
            kwargs["auth_require_tls"] = False
    controller = Controller(Keep(), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()


main()
