#!/usr/bin/env python3
"""The peer for `cargo xtask bench`: moto (the Python AWS mock), in-process, doing the lifecycle
that Keyline's generated workload does, and what moto answers where Keyline has a rule.

Run by `cargo xtask bench` with the project venv (`.tools/venv/bin/python bench/moto_peer.py`).
Output, one record per line, for xtask to read:

    PEER moto <version> boto3 <version> python <version>
    RUN <operations> <seconds>          one per timed run
    FINDING <id> <what moto did>        one per behaviour checked

Every block is ten API calls, the same steps as one block of Keyline's workload: create a KMS
key, create a volume encrypted with it, snapshot the volume, create a volume from the snapshot,
create an instance, attach the volume, disable the key, detach, enable the key, re-attach.
`mock_aws` runs in-process (no server); each timed run starts from an empty account.
"""

import argparse
import os
import platform
import sys
import time

# moto needs credentials and a region to exist, never real ones.
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ.pop("AWS_PROFILE", None)

import boto3  # noqa: E402
import moto  # noqa: E402
from moto import mock_aws  # noqa: E402

ZONE = "us-east-1a"
OPS_PER_BLOCK = 10


def clients():
    return boto3.client("kms"), boto3.client("ec2")


def an_image(ec2):
    """The id of one of moto's built-in AMIs (looked up once, outside the timing)."""
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    return images[0]["ImageId"] if images else "ami-12c6146b"


def block(kms, ec2, image):
    key = kms.create_key(Description="bench")["KeyMetadata"]["KeyId"]
    disk = ec2.create_volume(AvailabilityZone=ZONE, Size=1, Encrypted=True, KmsKeyId=key)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=disk)["SnapshotId"]
    ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snap)
    server = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t2.micro")[
        "Instances"
    ][0]["InstanceId"]
    ec2.attach_volume(VolumeId=disk, InstanceId=server, Device="/dev/sdf")
    kms.disable_key(KeyId=key)
    # moto needs InstanceId here (see the `detach-without-instance` finding).
    ec2.detach_volume(VolumeId=disk, InstanceId=server)
    kms.enable_key(KeyId=key)
    ec2.attach_volume(VolumeId=disk, InstanceId=server, Device="/dev/sdf")


def timed_run(blocks):
    with mock_aws():
        kms, ec2 = clients()
        image = an_image(ec2)
        block(kms, ec2, image)  # warm-up: first-call costs (models, moto backends) untimed
        start = time.perf_counter()
        for _ in range(blocks):
            block(kms, ec2, image)
        seconds = time.perf_counter() - start
    return blocks * OPS_PER_BLOCK, seconds


def finding(ident, text):
    print(f"FINDING {ident} {text}", flush=True)


def attempt(call):
    """`None` when the call succeeds, else the error's short description."""
    try:
        call()
        return None
    except Exception as err:  # noqa: BLE001 - any refusal counts
        return f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"


def findings():
    """What moto answers where Keyline has a rule, checked against moto itself."""
    with mock_aws():
        kms, ec2 = clients()
        image = an_image(ec2)
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        key_arn = kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"]
        disk = ec2.create_volume(AvailabilityZone=ZONE, Size=1, Encrypted=True, KmsKeyId=key)
        snap = ec2.create_snapshot(VolumeId=disk["VolumeId"])
        copy = ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snap["SnapshotId"])
        described = ec2.describe_volumes(VolumeIds=[copy["VolumeId"]])["Volumes"][0]
        carried = described.get("KmsKeyId") in (key, key_arn)
        finding(
            "from-snapshot",
            "volume from an encrypted snapshot: "
            + (
                "carries the key over"
                if carried
                else f"KmsKeyId={described.get('KmsKeyId')!r} although Encrypted={described.get('Encrypted')}"
                f" (the snapshot itself reports KmsKeyId={snap.get('KmsKeyId')!r}); the source key {key[:8]}... is lost"
            ),
        )

        server = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t2.micro")[
            "Instances"
        ][0]["InstanceId"]
        ec2.attach_volume(VolumeId=copy["VolumeId"], InstanceId=server, Device="/dev/sdf")
        error = attempt(lambda: kms.disable_key(KeyId=key))
        finding(
            "disable-in-use",
            "disabling a key that an attached volume uses: "
            + ("succeeds silently, no warning" if error is None else f"refused ({error})"),
        )

        error = attempt(lambda: ec2.detach_volume(VolumeId=copy["VolumeId"]))
        if error is not None:
            finding(
                "detach-without-instance",
                f"DetachVolume with only VolumeId (valid in the EC2 API) crashes moto: {error}",
            )
            ec2.detach_volume(VolumeId=copy["VolumeId"], InstanceId=server)
        else:
            finding("detach-with-key-disabled", "detaching while the key is disabled: succeeds, no warning")

        error = attempt(
            lambda: ec2.attach_volume(VolumeId=disk["VolumeId"], InstanceId=server, Device="/dev/sdg")
        )
        finding(
            "attach-disabled",
            "attaching a volume whose key is disabled: "
            + ("succeeds" if error is None else f"fails ({error})"),
        )

        error = attempt(
            lambda: ec2.create_volume(AvailabilityZone=ZONE, Size=1, Encrypted=True, KmsKeyId=key)
        )
        finding(
            "create-disabled",
            "creating a volume encrypted with a disabled key: "
            + ("succeeds" if error is None else f"fails ({error})"),
        )

        missing = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
        error = attempt(
            lambda: ec2.create_volume(AvailabilityZone=ZONE, Size=1, Encrypted=True, KmsKeyId=missing)
        )
        finding(
            "create-missing-key",
            "creating a volume encrypted with a key that does not exist: "
            + ("succeeds" if error is None else f"fails ({error})"),
        )

        kms.enable_key(KeyId=key)
        kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
        error = attempt(
            lambda: ec2.attach_volume(VolumeId=disk["VolumeId"], InstanceId=server, Device="/dev/sdh")
        )
        finding(
            "attach-pending-deletion",
            "attaching a volume whose key is pending deletion: "
            + ("succeeds" if error is None else f"fails ({error})"),
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=100, help="blocks of 10 calls per run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"PEER moto {moto.__version__} boto3 {boto3.__version__} python {platform.python_version()}",
        flush=True,
    )
    for _ in range(args.runs):
        ops, seconds = timed_run(args.blocks)
        print(f"RUN {ops} {seconds:.6f}", flush=True)
    findings()
    return 0


if __name__ == "__main__":
    sys.exit(main())
