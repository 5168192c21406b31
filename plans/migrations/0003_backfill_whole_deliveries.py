"""Products delivered before deliveries were recorded per site were delivered whole (by the
plan's editors): each gets its whole delivery, so progress stays what it was."""

from django.db import migrations


def forwards(apps, schema_editor):
    Product = apps.get_model("plans", "Product")
    ProductDelivery = apps.get_model("plans", "ProductDelivery")
    EvidenceLink = apps.get_model("evidence", "EvidenceLink")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="plans", model="product").first()
    for product in Product.objects.filter(delivered_on__isnull=False).exclude(deliveries__site__isnull=True):
        link = (
            EvidenceLink.objects.filter(target_type=ct, target_id=product.pk, removed_at__isnull=True)
            .order_by("linked_at", "pk")
            .first()
            if ct
            else None
        )
        if link is None:
            continue
        ProductDelivery.objects.create(
            product=product,
            site=None,
            delivered_on=product.delivered_on,
            delivered_by_id=link.linked_by_id,
            evidence_link=link,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_product_deliveries"),
        ("evidence", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
