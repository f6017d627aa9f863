"""``biys evrak``: official correspondence from the command line.

- ``check-eyp FILE [--json]``: the checks of an import (schemas, digests, identifiers, the
  signer's signature and the institution's e-seal); each problem printed, exit status 1 if any;
- ``import-eyp FILE --unit UNIT [--json]``: register the document a package carries for the
  receiving unit (its id or exact name), or refuse it with the reasons (exit status 1);
- ``export-eyp NUMBER --out FILE [--json]``: write the e-Yazışma package of a signed outgoing
  document (its sayı), the same bytes the page and the API give;
- ``load-sdp [FILE]``: load a file plan (``code;title``; the shipped sample without FILE);
- ``load-crl FILE``: load a certificate revocation list into the trust store (PEM or DER);
- ``refresh-crls [--json]``: fetch the trust store's CRLs from their addresses (a failure
  keeps the last one; exit status 1 if any failed);
- ``verify-signature NUMBER [--json]``: check the e-signature of a signed outgoing document
  again, as of its acceptance, with the validation data kept then (exit status 1 if it fails).
- ``archive-stamp [NUMBER ...] [--json]``: time-stamp the kept e-Yazışma packages due (without
  an archive time-stamp, or whose chain needs renewing), or those of the documents named (an
  outgoing sayı or an incoming registry number), now (exit status 1 if any failed);
- ``verify-archive NUMBER [--json]``: check a kept package's archive time-stamp chain (exit
  status 1 if it does not prove the package).

``biys documents ...`` is the same command under the name the registry's users know.
"""

import hashlib
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Official correspondence: check and import e-Yazışma packages, load the file plan."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        check = jobs.add_parser("check-eyp", help="Check an e-Yazışma package.")
        check.add_argument("file")
        check.add_argument("--json", action="store_true")
        load = jobs.add_parser("import-eyp", help="Register the document of an .eyp package.")
        load.add_argument("file")
        load.add_argument("--unit", required=True, help="the receiving unit: id or exact name")
        load.add_argument("--json", action="store_true")
        export = jobs.add_parser(
            "export-eyp", help="Write the .eyp package of a signed outgoing document."
        )
        export.add_argument("number", help="the document's sayı (E-<DETSİS>-<SDP>-<no>)")
        export.add_argument("--out", required=True, help="the file to write")
        export.add_argument("--json", action="store_true")
        sdp = jobs.add_parser("load-sdp", help="Load a file plan (code;title per line).")
        sdp.add_argument("file", nargs="?")
        jobs.add_parser("poll-mail", help="Take the new messages of the e-mail and KEP mailboxes.")
        crl = jobs.add_parser("load-crl", help="Load a CRL into the signature trust store.")
        crl.add_argument("file")
        refresh = jobs.add_parser(
            "refresh-crls", help="Fetch the trust store's CRLs from their distribution points."
        )
        refresh.add_argument("--json", action="store_true")
        again = jobs.add_parser(
            "verify-signature",
            help="Check a signed document's e-signature again with its validation data.",
        )
        again.add_argument("number", help="the document's sayı (E-<DETSİS>-<SDP>-<no>)")
        again.add_argument("--json", action="store_true")
        stamp = jobs.add_parser(
            "archive-stamp", help="Time-stamp the kept e-Yazışma packages due (or those named)."
        )
        stamp.add_argument("numbers", nargs="*", help="outgoing sayı or incoming registry number")
        stamp.add_argument("--json", action="store_true")
        chain = jobs.add_parser(
            "verify-archive", help="Check a kept package's archive time-stamp chain."
        )
        chain.add_argument("number", help="outgoing sayı or incoming registry number")
        chain.add_argument("--json", action="store_true")

    def _read(self, name: str) -> bytes:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        return path.read_bytes()

    def _print(self, data: dict, as_json: bool, lines: list[str]) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            for line in lines:
                self.stdout.write(line)

    def handle(self, *args, job, **options):
        return getattr(self, job.replace("-", "_"))(**options)

    def poll_mail(self, **options):
        from biys.evrak.mail_intake import poll_mailboxes

        for name, result in poll_mailboxes().items():
            counts = ", ".join(f"{key} {value}" for key, value in sorted(result.counts.items()))
            self.stdout.write(
                f"{name}: {counts or 'nothing new'}{f' ({result.error})' if result.error else ''}"
            )

    def check_eyp(self, file, json=False, **options):
        from biys.evrak import eyp

        report = eyp.check_package(self._read(file))
        if report.signature:
            signed = (
                f"signed by {report.signature['signer']} over {report.signature['signed_part']}"
            )
            for stamp in report.signature.get("timestamps", []):
                checked = "verified" if stamp["verified"] else "not verified"
                signed += f", time-stamped {stamp['time']} ({checked})"
        else:
            signed = "unsigned" if report.ok else ""
        if report.seal:
            signed += f"{', ' if signed else ''}sealed by {report.seal['subject']}"
        elif report.ok:
            signed += f"{', ' if signed else ''}not sealed"
        state = f"e-Yazışma {report.version or '?'}" + (f", {signed}" if signed else "")
        lines = [f"{file}: {'ok' if report.ok else 'REFUSED'} ({state})"]
        lines += [f"  problem: {problem}" for problem in report.problems]
        self._print({"file": file, **report.as_dict()}, json, lines)
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s) found")

    def import_eyp(self, file, unit, json=False, **options):
        from biys.evrak import services
        from biys.org.models import Unit

        data = self._read(file)
        receiving = (
            Unit.objects.filter(pk=int(unit)).first()
            if unit.isdigit()
            else Unit.objects.filter(name=unit).first()
        )
        if receiving is None:
            raise CommandError(f"no such unit: {unit}")
        upload = SimpleUploadedFile(Path(file).name, data)
        with change_context(user_name="biys evrak import-eyp"):
            try:
                document = services.import_eyp_package(
                    user=None, receiving_unit=receiving, uploaded_file=upload
                )
            except ValidationError as error:
                problems = (
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
                self._print(
                    {"file": file, "registered": False, "errors": problems},
                    json,
                    [f"{file}: REFUSED"]
                    + [
                        f"  {field or 'error'}: {message}"
                        for field, messages in problems.items()
                        for message in messages
                    ],
                )
                raise CommandError("the package was refused: nothing was registered") from error
        self._print(
            {
                "file": file,
                "registered": True,
                "number": document.number,
                "id": document.pk,
                "belge_id": document.belge_id,
                "subject": document.subject,
                "sender": document.sender_name,
                "sender_number": document.sender_number,
                "parts": document.package.parts.count(),
            },
            json,
            [f"{file}: registered as {document.number} ({document.subject})"],
        )

    def export_eyp(self, number, out, json=False, **options):
        from biys.evrak import outgoing_services
        from biys.evrak.models import OutgoingDocument

        document = (
            OutgoingDocument.objects.select_related("unit", "signer", "sdp_code")
            .filter(number=number)
            .first()
        )
        if document is None:
            raise CommandError(f"no signed outgoing document numbered {number}")
        with change_context(user_name="biys evrak export-eyp"):
            try:
                data = outgoing_services.eyp_package(document=document)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        document.refresh_from_db(fields=["belge_id"])
        path = Path(out)
        path.write_bytes(data)
        self._print(
            {
                "number": number,
                "belge_id": document.belge_id,
                "file": str(path),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
            json,
            [f"{number}: {path} ({len(data)} bytes, BelgeId {document.belge_id})"],
        )

    def load_sdp(self, file=None, **options):
        from biys.evrak import services

        path = Path(file) if file else services.SAMPLE_SDP
        rows, errors = services.parse_sdp_csv(self._read(str(path)).decode("utf-8-sig"))
        if errors:
            self.stdout.write(json.dumps({"file": str(path), "errors": errors}, ensure_ascii=False))
            raise CommandError(f"{len(errors)} invalid rows: nothing was loaded")
        with change_context(user_name="biys evrak load-sdp"):
            added, updated = services.load_sdp_codes(rows=rows, is_sample=file is None)
        self.stdout.write(
            json.dumps({"file": str(path), "added": added, "updated": updated}, ensure_ascii=False)
        )

    def load_crl(self, file, **options):
        from biys.evrak import revocation

        with change_context(user_name="biys evrak load-crl"):
            try:
                item = revocation.add_revocation_list(user=None, data=self._read(file))
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{file}: the CRL of {item.issuer} loaded (issued {item.this_update:%Y-%m-%d %H:%M},"
            f" next update {item.next_update:%Y-%m-%d %H:%M}, {item.revoked_count} revoked)"
        )

    def refresh_crls(self, json=False, **options):
        from biys.evrak import revocation

        with change_context(user_name="biys evrak refresh-crls"):
            summary = revocation.refresh_revocation_lists(force=True)
        lines = [
            f"loaded {summary['loaded']}, unchanged {summary['unchanged']},"
            f" without an address {summary['no_address']}, failed {len(summary['failed'])}"
        ] + [f"  failed: {name}: {error}" for name, error in summary["failed"].items()]
        self._print(summary, json, lines)
        if summary["failed"]:
            raise CommandError(f"{len(summary['failed'])} CRL(s) could not be fetched")

    def verify_signature(self, number, json=False, **options):
        from biys.evrak import revocation, signing
        from biys.evrak.models import OutgoingDocument

        document = OutgoingDocument.objects.filter(number=number).first()
        accepted = signing.accepted_signature(document) if document is not None else None
        if accepted is None:
            raise CommandError(f"no outgoing document numbered {number} with an e-signature")
        result = revocation.reverify(accepted)
        state = "verifies" if result.ok else f"DOES NOT VERIFY: {result.reason}"
        moment = f"{result.checked_at:%Y-%m-%d %H:%M} UTC" if result.checked_at else "?"
        self._print(
            {
                "number": number,
                "ok": result.ok,
                "checked_at": result.checked_at,
                "reason": result.reason,
                "anchor_trusted_now": result.anchor_trusted_now,
                "timestamp_time": result.timestamp_time,
            },
            json,
            [
                f"{number}: {state} (as of {moment})",
                *(
                    [f"  time-stamped {result.timestamp_time:%Y-%m-%d %H:%M:%S} UTC"]
                    if result.timestamp_time
                    else []
                ),
                "  its root is "
                + ("still" if result.anchor_trusted_now else "no longer")
                + " an active certificate of the trust store",
            ],
        )
        if not result.ok:
            raise CommandError("the signature does not verify")

    def _package_owner(self, number: str):
        from biys.evrak.models import IncomingPackage, OutgoingDocument

        owner = OutgoingDocument.objects.filter(number=number).first() or (
            IncomingPackage.objects.filter(document__number=number).first()
        )
        if owner is None:
            raise CommandError(f"no outgoing document or incoming package numbered {number}")
        return owner

    def archive_stamp(self, numbers, json=False, **options):
        from biys.core import tsa
        from biys.evrak import archive_stamps

        if not numbers:
            if not archive_stamps.enabled():
                raise CommandError("BIYS_EVRAK_ARCHIVE_TIMESTAMP is off: name the documents")
            summary = archive_stamps.stamp_due()
        else:
            summary = {"stamped": 0, "failed": {}}
            for number in numbers:
                try:
                    archive_stamps.stamp(self._package_owner(number))
                except (tsa.TimestampError, ValidationError) as error:
                    summary["failed"][number] = "; ".join(getattr(error, "messages", [])) or str(
                        error
                    )
                else:
                    summary["stamped"] += 1
        lines = [f"stamped {summary['stamped']}, failed {len(summary['failed'])}"] + [
            f"  failed: {name}: {reason}" for name, reason in summary["failed"].items()
        ]
        self._print(summary, json, lines)
        if summary["failed"]:
            raise CommandError(f"{len(summary['failed'])} package(s) could not be time-stamped")

    def verify_archive(self, number, json=False, **options):
        from biys.evrak import archive_stamps

        report = archive_stamps.verify(self._package_owner(number))
        state = (
            f"proven unchanged since {report.proven_since:%Y-%m-%d %H:%M:%S} UTC"
            if report.ok
            else "NOT PROVEN"
        )
        self._print(
            {"number": number, **report.as_dict()},
            json,
            [f"{number}: {state}"]
            + [
                f"  #{link.sequence} {link.time:%Y-%m-%d %H:%M:%S} UTC by {link.authority}"
                f" (certificate until {link.authority_expires:%Y-%m-%d})"
                + (f": {link.problem}" if link.problem else "")
                for link in report.links
            ]
            + [f"  {problem}" for problem in report.problems if not problem.startswith("#")],
        )
        if not report.ok:
            raise CommandError("the archive time-stamps do not prove the package")
