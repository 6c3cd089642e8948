"""Bounce mails shaped like the ones real servers send (written here, not copied from anyone's
mailbox): Postfix and Gmail/Microsoft RFC 3464 reports, Exim's plain-text default, and the
Chinese plain-text bounces of QQ Mail and NetEase 163."""

from __future__ import annotations

import base64

CRLF = "\r\n"


def _bytes(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", CRLF).encode("utf-8")


def original_headers(message_id: str, to: str, sender: str = "shop@example.com") -> str:
    return (
        f"From: Shop <{sender}>\n"
        f"To: {to}\n"
        "Subject: Order news\n"
        f"Message-ID: {message_id}\n"
        "Date: Mon, 07 Dec 2026 10:00:00 +0000\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
    )


def postfix(message_id: str, recipient: str, *, status: str = "5.1.1", action: str = "failed",
            diagnostic: str = "550 5.1.1 <{r}>: Recipient address rejected: User unknown",
            to: str = "shop@example.com") -> bytes:  # fmt: skip
    diagnostic = diagnostic.format(r=recipient)
    return _bytes(f"""Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {to}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="B0UND.1"
Message-Id: <20261207100001.AB12@mx.example.net>

This is a MIME-encapsulated message.

--B0UND.1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.example.net said: {diagnostic}

--B0UND.1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: AB12
Arrival-Date: Mon,  7 Dec 2026 10:00:00 +0000 (UTC)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; {diagnostic}

--B0UND.1
Content-Description: Undelivered Message
Content-Type: message/rfc822

{original_headers(message_id, recipient)}
Hello, your order has shipped.

--B0UND.1--
""")


def gmail(message_id: str, recipient: str) -> bytes:
    return _bytes(f"""From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: shop@example.com
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000gmail"; report-type=delivery-status

--000000gmail
Content-Type: text/plain; charset="UTF-8"

Address not found
Your message wasn't delivered to {recipient} because the address couldn't be found,
or is unable to receive mail.

--000000gmail
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; shop@example.com
Arrival-Date: Mon, 07 Dec 2026 02:00:00 -0800 (PST)
X-Original-Message-ID: {message_id}

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org. (203.0.113.5, the server for the domain example.org.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Mon, 07 Dec 2026 02:00:01 -0800 (PST)

--000000gmail
Content-Type: text/rfc822-headers

{original_headers(message_id, recipient)}
--000000gmail--
""")


def microsoft_mailbox_full(message_id: str, recipient: str) -> bytes:
    return _bytes(f"""From: postmaster@outlook.example.com
To: shop@example.com
Subject: Undeliverable: Order news
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="ms-b"

--ms-b
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:
{recipient}
The recipient's mailbox is full and can't accept messages now.

--ms-b
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR01MB0001.example.com
Received-From-MTA: dns;mail.example.com
Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0000

Final-Recipient: rfc822;{recipient}
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp;452 4.2.2 The recipient's mailbox is full

--ms-b
Content-Type: message/rfc822

{original_headers(message_id, recipient)}
Hello.

--ms-b--
""")


def exim(message_id: str, recipient: str) -> bytes:
    return _bytes(f"""Return-path: <>
From: Mail Delivery System <Mailer-Daemon@mail.example.net>
To: shop@example.com
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {recipient}
    host mx.example.org [203.0.113.9]
    SMTP error from remote mail server after RCPT TO:<{recipient}>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <shop@example.com>
{original_headers(message_id, recipient)}
Hello, your order has shipped.
""")


def qq(message_id: str, recipient: str) -> bytes:
    body = (
        "很抱歉您发送的邮件被退回，以下是该邮件的相关信息：\n"
        f"被退回的邮件：Order news\n收件人：{recipient}\n"
        "退信原因：收件人邮箱地址不存在（550 Mailbox not found or access denied）\n"
        "原始邮件信息：\n"
        f"Message-ID: {message_id}\n"
    )
    encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii")
    return _bytes(f"""From: "PostMaster" <PostMaster@qq.example.com>
To: shop@example.com
Subject: =?utf-8?B?{base64.b64encode("退信".encode()).decode()}?=
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{encoded}""")


def netease(message_id: str, recipient: str) -> bytes:
    subject = base64.b64encode("系统退信".encode()).decode()
    text = f"您发送到 {recipient} 的邮件被退回。\n退信原因：550 User not found: 收件人不存在\n"
    encoded = base64.encodebytes(text.encode("utf-8")).decode("ascii")
    return _bytes(f"""From: "Postmaster" <postmaster@163.example.com>
To: shop@example.com
Subject: =?utf-8?B?{subject}?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ne-b"

--ne-b
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{encoded}
--ne-b
Content-Type: message/rfc822

{original_headers(message_id, recipient)}
Hello.

--ne-b--
""")


def ordinary(subject: str = "Question about my order", sender: str = "buyer@example.net",
             to: str = "shop@example.com", body: str = "When does it ship?") -> bytes:  # fmt: skip
    return _bytes(f"""From: Buyer <{sender}>
To: {to}
Subject: {subject}
Message-ID: <question-1@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
""")
