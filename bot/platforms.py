"""Which chat platforms the settings configure, with every missing or contradictory setting named."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings


class ConfigError(Exception):
    """Settings that cannot start the server; each message names the variable to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str
    app_token: str
    api_url: str

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


@dataclass(frozen=True)
class Platforms:
    slack: SlackConfig | None


def _slack(settings: Settings, problems: list[str]) -> SlackConfig | None:
    token, secret, app_token = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if not token:
        if secret or app_token:
            names = " and ".join(
                n for n, v in (("SLACK_SIGNING_SECRET", secret), ("SLACK_APP_TOKEN", app_token)) if v
            )
            problems.append(f"{names} set but SLACK_BOT_TOKEN is not: set the bot token (xoxb-...) too")
        return None
    if not token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)")
    if not secret and not app_token:
        problems.append("SLACK_SIGNING_SECRET is required for HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
    if not settings.slack_api_url.startswith(("https://", "http://127.", "http://localhost")):
        problems.append("SLACK_API_URL must be https:// (plain http only to a local test double)")
    return SlackConfig(token, secret, app_token, settings.slack_api_url.rstrip("/") + "/")


def check_platforms(settings: Settings) -> Platforms:
    """The configured platforms; raises ConfigError naming every problem, or when none is configured."""
    problems: list[str] = []
    slack = _slack(settings, problems)
    if not problems and slack is None:
        problems.append(
            "no chat platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack"
        )
    if problems:
        raise ConfigError(problems)
    return Platforms(slack=slack)
