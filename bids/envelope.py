"""The encrypted draft of a submission (docs/adr/0008): a data key per submission wrapped by the KEK, every draft
item (answer text, file name and type, file bytes) encrypted with it, bound to its submission and item by the
associated data. Reads only; bids.services writes. The bidders' own copy of a sealed manifest is encrypted with the
same key, so that they can download what they sent without anyone unwrapping the commissioning's private key."""

import json

from . import attachments, sealing
from .models import DraftItem, DraftKey, SealedVersion


def _key_aad(submission_id: int) -> bytes:
    return f"draft-key:submission:{submission_id}".encode()


def new_draft_key(submission) -> DraftKey:
    """An unsaved DraftKey for a new submission."""
    wrapped = sealing.wrap_with_kek(sealing.new_data_key(), _key_aad(submission.pk))
    return DraftKey(submission=submission, wrapped_key=wrapped, kek_id=sealing.kek_id())


def draft_key(submission) -> bytes:
    return sealing.unwrap_with_kek(bytes(submission.draft_key.wrapped_key), _key_aad(submission.pk))


def item_aad(submission_id: int, item_id: int, part: str) -> bytes:
    return f"submission:{submission_id}:item:{item_id}:{part}".encode()


def encrypt_json(key: bytes, data: dict, aad: bytes) -> bytes:
    return sealing.encrypt(key, sealing.canonical_json(data), aad)


def decrypt_json(key: bytes, ciphertext: bytes, aad: bytes) -> dict:
    return json.loads(sealing.decrypt(key, bytes(ciphertext), aad))


ATTACHMENT_FIELDS = ("key", "aad")  # in a file's meta: how to read its blob (bids.attachments)


def _split(data: dict) -> dict:
    """A file's meta without its blob key; the key, when the blob has one of its own, under "attachment"."""
    attachment = {name: data.pop(name) for name in ATTACHMENT_FIELDS if name in data}
    if attachment:
        data["attachment"] = attachment
    return data


def read_item(key: bytes, item: DraftItem) -> dict:
    """An answer: {"text", "confidential_reason"}; a file: {"name", "media_type", "sha256", "confidential_reason"}
    plus "content" (the decrypted bytes). A file written by bids.attachments has its own key (under "attachment");
    an older one is encrypted with the draft key itself ("legacy")."""
    data = decrypt_json(key, item.ciphertext, item_aad(item.submission_id, item.pk, "meta"))
    if item.kind == DraftItem.Kind.FILE:
        data = _split(data)
        if "attachment" in data:
            data["content"] = attachments.read_with_meta(item.blob.name, data["attachment"])
        else:
            with item.blob.open("rb") as handle:
                data["content"] = sealing.decrypt(key, handle.read(), item_aad(item.submission_id, item.pk, "blob"))
    return data


def read_draft(submission, with_content: bool = False) -> dict:
    """{"answers": {criterion_id: {...}}, "files": [{...}]}: the decrypted draft for its authorised readers (file
    bytes only with `with_content`)."""
    key = draft_key(submission)
    answers, files = {}, []
    for item in submission.draft_items.all():
        if item.kind == DraftItem.Kind.ANSWER:
            data = decrypt_json(key, item.ciphertext, item_aad(submission.pk, item.pk, "meta"))
            answers[item.criterion_id] = {"item": item, **data}
        else:
            data = (
                read_item(key, item)
                if with_content
                else _split(decrypt_json(key, item.ciphertext, item_aad(submission.pk, item.pk, "meta")))
            )
            files.append({"item": item, **data})
    return {"answers": answers, "files": files}


def sealed_ciphertext(version: SealedVersion) -> bytes:
    """The sealed bundle of a version: in its row (format 2) or, for versions sealed before docs/adr/0012, in its
    file (format 1)."""
    if version.sealed_bundle:
        return bytes(version.sealed_bundle)
    with version.sealed_blob.open("rb") as handle:
        return handle.read()


def bidder_manifest_aad_of(submission_id: int, number: int) -> bytes:
    return f"submission:{submission_id}:version:{number}:bidder-copy".encode()


def bidder_manifest_aad(version: SealedVersion) -> bytes:
    return bidder_manifest_aad_of(version.submission_id, version.number)


def bidder_manifest(version: SealedVersion) -> dict:
    """The canonical manifest of a sealed version as its bidder sent it (decrypted with the draft key)."""
    key = draft_key(version.submission)
    return json.loads(sealing.decrypt(key, bytes(version.bidder_manifest), bidder_manifest_aad(version)))
