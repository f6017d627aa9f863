"""Serializers of the third parties' API (names prefixed ``Bgys``). Writes go through
``third_party_services``."""

from rest_framework import serializers

from biys.bgys import third_party_services as services
from biys.bgys.api.audit_serializers import _Display
from biys.bgys.third_party_models import AgreementState, ConfidentialityAgreement, ThirdParty


class BgysThirdPartySerializer(_Display):
    class Meta:
        model = ThirdParty
        fields = [
            "id", "display", "unit", "name", "tax_number", "contact_name", "email", "phone",
            "services", "contract", "is_active", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_third_party(third_party=ThirdParty(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_third_party(third_party=instance, user=self.user)


class BgysConfidentialityAgreementSerializer(_Display):
    state = serializers.ChoiceField(
        choices=AgreementState.choices,
        read_only=True,
        help_text="In force, ending soon (within BIYS_CONFIDENTIALITY_WARNING_DAYS) or ended.",
    )

    class Meta:
        model = ConfidentialityAgreement
        fields = [
            "id", "display", "third_party", "signatory", "signatory_role", "signed_on",
            "expires_on", "scope", "state", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_agreement(
            agreement=ConfidentialityAgreement(**validated_data), user=self.user
        )

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_agreement(agreement=instance, user=self.user)
