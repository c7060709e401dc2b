"""Background work of the accounts: e-mails rendered in the request, delivered by a worker."""

from django.core.mail import EmailMultiAlternatives

from openmandato.taskqueue import background_task


def message_to_dict(message) -> dict:
    return {
        "subject": str(message.subject),
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


@background_task
def deliver_email(message: dict) -> None:
    """Send one message that a request rendered (sign-up confirmations, password resets)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or {},
    )
    for content, mimetype in message.get("alternatives") or []:
        email.attach_alternative(content, mimetype)
    email.send()
