"""The third parties' API: the parties and their confidentiality agreements
(``?state=expiring`` lists the ones ending soon)."""

from biys.bgys import third_party_filtersets as filtersets
from biys.bgys.api import third_party_serializers as serializers
from biys.bgys.api.policy_views import _Writable
from biys.bgys.third_party_models import ConfidentialityAgreement, ThirdParty


class ThirdPartyViewSet(_Writable):
    queryset = ThirdParty.objects.order_by("name", "pk")
    serializer_class = serializers.BgysThirdPartySerializer
    filterset_class = filtersets.ThirdPartyFilterSet


class ConfidentialityAgreementViewSet(_Writable):
    queryset = ConfidentialityAgreement.objects.select_related("third_party").order_by(
        "expires_on", "pk"
    )
    serializer_class = serializers.BgysConfidentialityAgreementSerializer
    filterset_class = filtersets.ConfidentialityAgreementFilterSet
