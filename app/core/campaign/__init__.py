"""A campaign: its settings (the campaign file) and the loaded, checked form of them."""

from app.core.campaign.campaign_file import (
    config_from_mapping,
    load_campaign_file,
    save_campaign,
)
from app.core.campaign.config import (
    BODY_SUFFIXES,
    CampaignConfig,
    Security,
    SendConfig,
    body_kind_for,
)
from app.core.campaign.loader import (
    Campaign,
    assemble_campaign,
    load_campaign,
    message_settings,
    parse_mailbox,
    without_excluded,
)

__all__ = [
    "BODY_SUFFIXES",
    "Campaign",
    "CampaignConfig",
    "Security",
    "SendConfig",
    "assemble_campaign",
    "body_kind_for",
    "config_from_mapping",
    "load_campaign",
    "load_campaign_file",
    "message_settings",
    "parse_mailbox",
    "save_campaign",
    "without_excluded",
]
