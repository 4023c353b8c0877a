"""The services a cog may call, built once by StudyBot and handed to every cog."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.core.challenge_service import ChallengeService
from bot.core.group_service import GroupService
from bot.core.leaderboard import LeaderboardService
from bot.core.posting import PostingService
from bot.core.progress import ProgressService
from bot.core.progress_view import ProgressReader
from bot.core.reminder_service import ReminderService
from bot.roadmap import Roadmap, TopicIndex
from bot.storage.challenges_repo import ChallengesRepository
from bot.storage.privacy_repo import PrivacyRepository
from bot.storage.progress_repo import ProgressRepository
from bot.storage.settings_repo import SettingsRepository


@dataclass(slots=True)
class Services:
    settings: Settings
    clock: Clock
    roadmap: Roadmap
    topic_index: TopicIndex
    guild_settings: SettingsRepository
    progress: ProgressReader
    progress_repo: ProgressRepository
    study: ProgressService
    privacy: PrivacyRepository
    leaderboards: LeaderboardService
    posting: PostingService
    challenge_repo: ChallengesRepository
    challenges: ChallengeService
    groups: GroupService
    reminders: ReminderService
