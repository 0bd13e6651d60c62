"""Publishes one call to leadstream's raw-calls topic, as docs/producing-events.md says.

Key = tenant_id, value = RawCall in the Confluent wire format under subject <topic>-value (the
serializer's TopicNameStrategy), acks=all, and the headers leadstream reads. Prints the call_id it sent.

    python3 -m pip install -r examples/producers/python/requirements.txt
    TENANT_ID=tenant_demo_kitchens python3 examples/producers/python/produce.py
"""

import os
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

PRODUCER_NAME = "example-python-producer"


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if not value:
        sys.exit(f"{name} is required")
    return value


brokers = env("KAFKA_BROKERS", "127.0.0.1:9092")
registry_url = env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
topic = env("TOPIC", "raw-calls")
tenant_id = env("TENANT_ID")
# Stable across retries and reruns: with tenant_id, the idempotency key. A real producer uses its own id.
call_id = env("CALL_ID", f"example-py-{uuid.uuid4()}")
schema_file = Path(env("SCHEMA_FILE", str(Path(__file__).parents[3] / "schemas" / "avro" / "RawCall.avsc")))

now = int(time.time() * 1000)
# A lead that is no phone call: a chat this producer handled. Unknown values are None, never "".
call = {
    "call_id": call_id,
    "tenant_id": tenant_id,
    "source_kind": "upstream_lead",
    "source_name": PRODUCER_NAME,
    "callrail_event": None,
    "callrail_company_id": None,
    "customer_phone": "+13125550187",
    "customer_name": "Priya Natarajan",
    "customer_email": "priya.natarajan@example.com",
    "customer_city": "Chicago",
    "customer_state": "IL",
    "duration_seconds": None,
    "answered": None,
    "voicemail": None,
    "recording_url": None,
    "transcription": "Chat: looking for a bathroom remodel estimate, walk-in shower, hoping to start in the spring.",
    "source": None,
    "tracking_number": None,
    "start_time": now - 60_000,
    "form_fields": {"preferred_contact": "email"},
    "marketing": {"utm_source": "example", "utm_medium": "chat"},
    "received_at": now,
}

registry = SchemaRegistryClient({"url": registry_url})
serialize_value = AvroSerializer(registry, schema_file.read_text(encoding="utf-8"))
serialize_key = StringSerializer("utf_8")

# Idempotent with acks=all: the client's own retries never write the record twice, and an acknowledged
# record survives a broker's loss.
producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True, "acks": "all"})
delivery_error: list[str] = []


def on_delivery(error, _message):
    if error is not None:
        delivery_error.append(str(error))


producer.produce(
    topic=topic,
    key=serialize_key(tenant_id),
    value=serialize_value(call, SerializationContext(topic, MessageField.VALUE)),
    headers=[
        ("leadstream-producer", PRODUCER_NAME),
        ("leadstream-correlation-id", str(uuid.uuid4())),
    ],
    on_delivery=on_delivery,
)
if producer.flush(30) > 0 or delivery_error:
    sys.exit(f"not delivered: {delivery_error or 'timed out'}")
print(call_id)
