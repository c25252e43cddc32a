"""Demo data: the 2027 holiday schedule as an administrator would enter it from the State Council's notice.

DEMO DATA, NOT THE OFFICIAL SCHEDULE: ``chinesecalendar`` has no 2027 yet, so these plausible dates (New Year,
Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day, with their adjusted working
days) stand in for the real notice; every name says 演示 so nobody takes it for the real one.
"""
from desk import holidays
from desk.models import User

DEMO_YEAR = 2027
DAYS_OFF = """\
2027-01-01 至 2027-01-03 元旦（演示）
2027-02-05 至 2027-02-13 春节（演示）
2027-04-03 至 2027-04-05 清明节（演示）
2027-05-01 至 2027-05-05 劳动节（演示）
2027-06-09 端午节（演示）
2027-09-15 中秋节（演示）
2027-10-01 至 2027-10-07 国庆节（演示）"""
WORKING_DAYS = """\
2027-02-20 春节（演示）
2027-04-25 劳动节（演示）
2027-09-26 国庆节（演示）
2027-10-09 国庆节（演示）"""


def seed(ctx) -> None:
    admin = ctx.users.get("admin") or User.query.filter_by(username="admin").first()
    days = holidays.parse_schedule(DEMO_YEAR, DAYS_OFF, WORKING_DAYS)
    holidays.enter_schedule(actor=admin, year=DEMO_YEAR, days=days)
