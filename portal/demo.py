"""The demo world of the shared core: offices, utilities and one user per role (local use only)."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from portal.choices import OrgKind, OrgLevel, Role
from portal.models import Organisation, Province, User

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - documented local demo accounts only

# (code, name, kind, level, parent code, province code, jurisdiction codes)
ORGANISATIONS = [
    ("NEA", "国家能源局", OrgKind.REGULATOR, OrgLevel.NATIONAL, None, None, []),
    ("NEA-NC", "国家能源局华北监管局", OrgKind.REGULATOR, OrgLevel.REGIONAL, "NEA", None, ["37", "13"]),
    ("NEA-SD", "国家能源局山东监管办公室", OrgKind.REGULATOR, OrgLevel.REGIONAL, "NEA-NC", None, ["37"]),
    ("NEA-CC", "国家能源局华中监管局", OrgKind.REGULATOR, OrgLevel.REGIONAL, "NEA", None, ["41", "42"]),
    ("SGCC-SD", "国网山东省电力公司", OrgKind.UTILITY, OrgLevel.PROVINCIAL, None, "37", []),
    ("SGCC-SD-JN", "国网济南供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-SD", "37", []),
    ("SGCC-SD-JN-ZQ", "国网济南市章丘区供电公司", OrgKind.UTILITY, OrgLevel.COUNTY, "SGCC-SD-JN", "37", []),
    ("SGCC-SD-JN-ZQ-BC", "章丘埠村供电所", OrgKind.UTILITY, OrgLevel.STATION, "SGCC-SD-JN-ZQ", "37", []),
    ("SGCC-SD-TA", "国网泰安供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-SD", "37", []),
    ("SGCC-SD-TA-WY", "国网汶源县供电公司", OrgKind.UTILITY, OrgLevel.COUNTY, "SGCC-SD-TA", "37", []),
    ("SGCC-SD-TA-WY-CG", "汶源城关供电所", OrgKind.UTILITY, OrgLevel.STATION, "SGCC-SD-TA-WY", "37", []),
    ("SGCC-SD-LY", "国网临沂供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-SD", "37", []),
    ("SGCC-SD-LY-YD", "国网沂东县供电公司", OrgKind.UTILITY, OrgLevel.COUNTY, "SGCC-SD-LY", "37", []),
    ("SGCC-SD-QD", "国网青岛供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-SD", "37", []),
    ("SGCC-SD-QD-JB", "国网胶北县供电公司", OrgKind.UTILITY, OrgLevel.COUNTY, "SGCC-SD-QD", "37", []),
    ("SGCC-HE", "国网河北省电力有限公司", OrgKind.UTILITY, OrgLevel.PROVINCIAL, None, "13", []),
    ("SGCC-HE-SJZ", "国网石家庄供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-HE", "13", []),
    ("SGCC-HE-SJZ-ZD", "国网正定县供电公司", OrgKind.UTILITY, OrgLevel.COUNTY, "SGCC-HE-SJZ", "13", []),
    ("SGCC-HE-SJZ-ZD-ZD", "正定镇供电所", OrgKind.UTILITY, OrgLevel.STATION, "SGCC-HE-SJZ-ZD", "13", []),
    ("SGCC-HA", "国网河南省电力公司", OrgKind.UTILITY, OrgLevel.PROVINCIAL, None, "41", []),
    ("SGCC-HA-ZZ", "国网郑州供电公司", OrgKind.UTILITY, OrgLevel.CITY, "SGCC-HA", "41", []),
]

# (username, display name, organisation code, role)
USERS = [
    ("nea_admin", "国家能源局 管理员", "NEA", Role.REGULATOR_ADMIN),
    ("nc_admin", "王建国", "NEA-NC", Role.REGULATOR_ADMIN),
    ("nc_staff", "李晓梅", "NEA-NC", Role.REGULATOR_STAFF),
    ("sd_staff", "张立新", "NEA-SD", Role.REGULATOR_STAFF),
    ("cc_staff", "陈志强", "NEA-CC", Role.REGULATOR_STAFF),
    ("sd_manager", "刘洪波", "SGCC-SD", Role.UTILITY_MANAGER),
    ("ta_manager", "赵海燕", "SGCC-SD-TA", Role.UTILITY_MANAGER),
    ("wy_submitter", "孙明", "SGCC-SD-TA-WY", Role.UTILITY_SUBMITTER),
    ("yd_submitter", "周静", "SGCC-SD-LY-YD", Role.UTILITY_SUBMITTER),
    ("he_manager", "吴磊", "SGCC-HE", Role.UTILITY_MANAGER),
    ("ha_manager", "郑敏", "SGCC-HA", Role.UTILITY_MANAGER),
    ("sys_95598_sd", "95598 业务支持系统（山东）", "SGCC-SD", Role.SYSTEM),
    ("sys_12398", "12398 能源监管热线平台", "NEA-NC", Role.SYSTEM),
]


@transaction.atomic
def load(stdout=None) -> dict:
    """Create (or bring up to date) the demo organisations and users. Idempotent."""
    provinces = {p.code: p for p in Province.objects.all()}
    orgs: dict[str, Organisation] = {}
    for code, name, kind, level, parent, province, jurisdiction in ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "level": level,
                "parent": orgs.get(parent) if parent else None,
                "province": provinces.get(province) if province else None,
                "email": f"{code.lower()}@example.org",
            },
        )
        org.jurisdiction.set([provinces[c] for c in jurisdiction])
        orgs[code] = org
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD, first_name="系统运维")
    tokens = {}
    for username, display, org_code, role in USERS:
        # No select_related here: FOR UPDATE cannot lock the nullable side of an outer join (PostgreSQL).
        user, created = User.objects.select_related(None).update_or_create(
            username=username,
            defaults={
                "first_name": display,
                "organisation": orgs[org_code],
                "role": role,
                "email": f"{username}@example.org",
                "is_staff": role == Role.REGULATOR_ADMIN,
            },
        )
        if role == Role.SYSTEM:
            # A system account signs in with its API token only: no usable password (also on a demo
            # database loaded before this rule).
            if user.has_usable_password():
                user.set_unusable_password()
                user.save(update_fields=["password"])
        elif created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.SYSTEM:
            tokens[username] = Token.objects.get_or_create(user=user)[0].key
    if stdout:
        stdout.write(f"demo: {len(orgs)} organisations, {len(USERS) + 1} users (password '{DEMO_PASSWORD}')")
        stdout.write("demo: system accounts have no password; they use their API token")
        for username, key in tokens.items():
            stdout.write(f"demo: API token of {username}: {key}")
    return {"organisations": orgs, "tokens": tokens}
