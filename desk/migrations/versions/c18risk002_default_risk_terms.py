"""risk early warning (issue 18): the default words of extreme intent

The words as they stood when this revision was written (intake/risk/terms.py, DEFAULT_TERMS), frozen here so
that upgrading an old database always adds the same rows; a later change to the default list comes with its
own revision. Only words the list lacks are added (in either script: a kept 跳樓 covers 跳楼), in one INSERT,
so upgrading a database where an administrator already keeps some of them adds the rest. Downgrade removes
the default words still as they were added (same level, active); words an administrator changed stay.

Revision ID: c18risk002
Revises: c18risk001
Create Date: 2026-12-04 10:00:00

"""


from alembic import op
import sqlalchemy as sa

from desk.timeutil import utcnow


# revision identifiers, used by Alembic.
revision = 'c18risk002'
down_revision = 'c18risk001'
branch_labels = None
depends_on = None

TERMS = {
    "red": ["跳楼", "跳河", "跳海", "自杀", "自焚", "喝农药", "服毒", "割腕", "轻生", "不想活了", "以死相逼", "同归于尽",
            "杀了他", "报复社会", "放火", "泼汽油", "炸药"],
    "orange": ["进京", "赴京", "去北京", "到北京上访", "到省里", "去省里", "去省城", "越级上访", "集体上访", "聚集", "围堵",
               "堵路", "堵门", "堵桥", "拦车", "拉横幅", "打横幅", "举牌", "静坐", "游行", "冲击政府"],
    "yellow": ["找媒体", "找记者", "曝光", "发抖音", "网上发帖", "上热搜"],
}

risk_term = sa.table("risk_term", sa.column("id", sa.Integer), sa.column("term", sa.String),
                     sa.column("level", sa.String), sa.column("active", sa.Boolean),
                     sa.column("created_at", sa.DateTime))


def _variants(term: str) -> set[str]:
    import opencc   # opencc-python-reimplemented, as intake/risk/rules.py matches
    return {term, opencc.OpenCC("s2t").convert(term), opencc.OpenCC("t2s").convert(term)}


def upgrade():
    conn = op.get_bind()
    held = {variant for term in conn.execute(sa.select(risk_term.c.term)).scalars() for variant in _variants(term)}
    now = utcnow()      # the desk's one clock (frozen in tests)
    rows = [{"term": term, "level": level, "active": True, "created_at": now}
            for level, terms in TERMS.items() for term in terms if not held & _variants(term)]
    if rows:
        op.bulk_insert(risk_term, rows)


def downgrade():
    conn = op.get_bind()
    for level, terms in TERMS.items():
        conn.execute(risk_term.delete().where(risk_term.c.term.in_(terms), risk_term.c.level == level,
                                              risk_term.c.active.is_(True)))
