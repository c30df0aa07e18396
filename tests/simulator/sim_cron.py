"""Five-field cron expressions for the simulated snapshot schedules (UTC, minute resolution). Standard library only."""

import datetime

# (name, lowest, highest, names accepted in place of numbers)
FIELDS = (
    ('minute', 0, 59, ()),
    ('hour', 0, 23, ()),
    ('day of month', 1, 31, ()),
    ('month', 1, 12, ('jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec')),
    ('day of week', 0, 7, ('sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat')),
)
MINUTES_PER_DAY = 24 * 60


def _value(text, field):
    name, lowest, highest, names = field
    word = text.lower()
    if word in names:
        return names.index(word) + lowest
    if not word.isdigit() or not lowest <= int(word) <= highest:
        raise ValueError('%r is not a valid %s (%d-%d)' % (text, name, lowest, highest))
    return int(word)


def _parse_field(text, field):
    _name, lowest, highest, _names = field
    values = set()
    for part in text.split(','):
        base, _slash, step_text = part.partition('/')
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError('%r has an invalid step' % part)
            step = int(step_text)
        if base == '*':
            first, last = lowest, highest
        elif '-' in base:
            first, last = (_value(bound, field) for bound in base.split('-', 1))
            if first > last:
                raise ValueError('%r is a backwards range' % part)
        else:
            first = _value(base, field)
            last = highest if step_text else first
        values.update(range(first, last + 1, step))
    return values


class Cron:
    """A parsed cron expression: matches(epoch) and the shortest gap between two runs."""

    def __init__(self, text):
        fields = str(text).split()
        if len(fields) != 5:
            raise ValueError(
                'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got %d' % len(fields)
            )
        self.minutes, self.hours, self.days, self.months, weekdays = (
            _parse_field(f, spec) for f, spec in zip(fields, FIELDS)
        )
        self.weekdays = {day % 7 for day in weekdays}  # 7 is Sunday too
        self.any_day, self.any_weekday = fields[2].startswith('*'), fields[4].startswith('*')

    def matches(self, epoch):
        moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
        if moment.minute not in self.minutes or moment.hour not in self.hours or moment.month not in self.months:
            return False
        day_ok, weekday_ok = moment.day in self.days, (moment.weekday() + 1) % 7 in self.weekdays
        if self.any_day or self.any_weekday:  # as cron: both restricted means either one
            return day_ok and weekday_ok
        return day_ok or weekday_ok

    def shortest_gap_minutes(self):
        """Shortest time between two runs, counting from the last run of a day to the first of the next."""
        runs = sorted(hour * 60 + minute for hour in self.hours for minute in self.minutes)
        if len(runs) < 2:
            return MINUTES_PER_DAY
        gaps = [later - earlier for earlier, later in zip(runs, runs[1:])]
        return min(gaps + [MINUTES_PER_DAY - runs[-1] + runs[0]])
