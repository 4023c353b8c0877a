"""Builds every repository and service from the settings, engine, clock and roadmap.

StudyBot calls this once; nothing else constructs services, so the dependency graph of the whole
bot reads top to bottom here.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from bot.config import Settings
from bot.core.challenge_service import ChallengeService
from bot.core.group_service import GroupService
from bot.core.leaderboard import LeaderboardService
from bot.core.posting import PostingService
from bot.core.progress import ProgressService
from bot.core.reminder_service import ReminderService
from bot.roadmap import Roadmap, TopicIndex
from bot.services import Services
from bot.storage.challenges_repo import ChallengesRepository
from bot.storage.group_days_repo import GroupDaysRepository
from bot.storage.group_repo import GroupRepository
from bot.storage.privacy_repo import PrivacyRepository
from bot.storage.progress_repo import ProgressRepository
from bot.storage.reminders_repo import RemindersRepository
from bot.storage.scheduling_repo import SchedulingRepository
from bot.storage.settings_repo import SettingsRepository


def build_services(
    settings: Settings, engine: AsyncEngine, clock: Clock, roadmap: Roadmap
) -> Services:
    community = settings.community
    settings_repo = SettingsRepository(
        engine, default_timezone=community.default_timezone, streak_minimum=community.streak_minimum
    )
    group_days = GroupDaysRepository(engine)
    progress_repo = ProgressRepository(engine, groups=group_days)
    privacy = PrivacyRepository(engine)
    study = ProgressService(
        roadmap=roadmap, clock=clock, settings=settings_repo, repo=progress_repo
    )
    challenge_repo = ChallengesRepository(engine)
    posting = PostingService(
        roadmap=roadmap,
        clock=clock,
        settings=settings_repo,
        schedules=SchedulingRepository(engine),
        challenges=challenge_repo,
        grace=timedelta(hours=settings.scheduling.grace_hours),
    )
    return Services(
        settings=settings,
        clock=clock,
        roadmap=roadmap,
        topic_index=TopicIndex(roadmap),
        guild_settings=settings_repo,
        progress=progress_repo,
        progress_repo=progress_repo,
        study=study,
        privacy=privacy,
        leaderboards=LeaderboardService(
            clock=clock,
            settings=settings_repo,
            progress=progress_repo,
            study=study,
            privacy=privacy,
        ),
        posting=posting,
        challenge_repo=challenge_repo,
        challenges=ChallengeService(posting=posting, repo=challenge_repo, study=study),
        groups=GroupService(
            clock=clock,
            settings=settings_repo,
            groups=GroupRepository(engine),
            days=group_days,
            max_groups_per_member=community.max_groups_per_member,
        ),
        reminders=ReminderService(
            clock=clock,
            settings=settings_repo,
            repo=RemindersRepository(engine),
            study=study,
            progress=progress_repo,
        ),
    )
