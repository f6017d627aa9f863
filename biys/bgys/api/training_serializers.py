"""Serializers of the awareness training API (names prefixed ``Bgys``). Writes go through
``training_services``."""

from biys.bgys import training_services as services
from biys.bgys.api.audit_serializers import _Display
from biys.bgys.training_models import TrainingAttendance, TrainingSession


class BgysTrainingSessionSerializer(_Display):
    class Meta:
        model = TrainingSession
        fields = [
            "id", "display", "unit", "title", "topic", "held_on", "duration_minutes", "trainer",
            "location", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_session(session=TrainingSession(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_session(session=instance, user=self.user)


class BgysTrainingAttendanceSerializer(_Display):
    class Meta:
        model = TrainingAttendance
        fields = ["id", "display", "session", "person", "quiz_score", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_attendance(
            attendance=TrainingAttendance(**validated_data), user=self.user
        )

    def update(self, instance, validated_data):
        validated_data.pop("session", None)
        validated_data.pop("person", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_attendance(attendance=instance, user=self.user)
