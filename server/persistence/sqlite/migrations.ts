// Numbered migrations. Append only: never edit one that has shipped. PRAGMA user_version holds
// how many have run.
export const MIGRATIONS: string[] = [
  /* 1: workshops, boards, invites, participants, sessions, board update log and snapshots */ `
  CREATE TABLE workshops (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE boards (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
  );
  CREATE INDEX boards_by_workshop ON boards(workshop_id, position);
  CREATE TABLE invites (
    token TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX invites_by_workshop ON invites(workshop_id);
  CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    removed_at INTEGER
  );
  CREATE INDEX participants_by_workshop ON participants(workshop_id);
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE board_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  CREATE INDEX board_updates_by_board ON board_updates(board_id, id);
  CREATE TABLE board_snapshots (
    board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    upto_id INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  /* 2: facilitation state, private drafts, card authorship (for balance), hidden cards */ `
  CREATE TABLE workshop_state (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE drafts (
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    draft_id TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    lane TEXT NOT NULL,
    text TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (participant_id, draft_id)
  );
  CREATE INDEX drafts_by_board ON drafts(board_id);
  CREATE TABLE card_authors (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE TABLE hidden_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    lane TEXT NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    hidden_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  `,
  /* 3: a workshop can be ended (then deleted after the retention period) */ `
  ALTER TABLE workshops ADD COLUMN ended_at INTEGER;
  `,
  /* 4: hidden cards keep the whole card (every field, as JSON); facilitation state has a version for compare-and-set */ `
  ALTER TABLE hidden_cards ADD COLUMN card TEXT;
  ALTER TABLE workshop_state ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  UPDATE workshop_state SET version = 1;
  `,
  /* 5: dot votes; ballots only while a vote is open, totals by role group once it closes */ `
  CREATE TABLE votes (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    items TEXT NOT NULL,
    votes_per_person INTEGER NOT NULL,
    max_per_item INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    labels TEXT
  );
  CREATE INDEX votes_by_workshop ON votes(workshop_id, opened_at);
  CREATE UNIQUE INDEX one_open_vote_per_board ON votes(board_id) WHERE closed_at IS NULL;
  CREATE TABLE vote_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (vote_id, participant_id, item_id)
  ) WITHOUT ROWID;
  CREATE TABLE vote_groups (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    eligible INTEGER NOT NULL,
    voters INTEGER NOT NULL,
    shown TEXT NOT NULL,
    PRIMARY KEY (vote_id, role)
  ) WITHOUT ROWID;
  CREATE TABLE vote_tallies (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    item_id TEXT NOT NULL,
    votes INTEGER NOT NULL,
    backers INTEGER NOT NULL,
    PRIMARY KEY (vote_id, unit, item_id)
  ) WITHOUT ROWID;
  `,
  /* 6: deleted workshops leave their id and the time, and nothing else, so pages can say they were deleted */ `
  CREATE TABLE deleted_workshops (
    id TEXT PRIMARY KEY,
    deleted_at INTEGER NOT NULL
  );
  `,
  /*
   * 7: removed cards (a card someone deleted that someone else wrote, kept whole) and the notices
   * people are told about their cards until they dismiss them.
   */ `
  CREATE TABLE removed_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    card TEXT NOT NULL,
    author_id TEXT REFERENCES participants(id) ON DELETE CASCADE,
    removed_by TEXT NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE INDEX removed_cards_by_author ON removed_cards(author_id) WHERE author_id IS NOT NULL;
  CREATE TABLE card_notices (
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (participant_id, board_id, card_id, kind)
  ) WITHOUT ROWID;
  CREATE INDEX card_notices_by_card ON card_notices(board_id, card_id);
  `,
  /* 8: representatives; agreed versions of key points; consent rounds (answers only while open, totals once closed) */ `
  ALTER TABLE participants ADD COLUMN representative INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE agreed_keypoints (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    agreed_at INTEGER NOT NULL,
    points TEXT NOT NULL,
    consent_id TEXT,
    PRIMARY KEY (board_id, number)
  );
  CREATE INDEX agreed_keypoints_by_workshop ON agreed_keypoints(workshop_id);
  CREATE TABLE consent_rounds (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    points TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    summary TEXT
  );
  CREATE INDEX consent_rounds_by_workshop ON consent_rounds(workshop_id, opened_at);
  CREATE UNIQUE INDEX one_open_consent_per_board ON consent_rounds(board_id) WHERE closed_at IS NULL;
  CREATE TABLE consent_answers (
    consent_id TEXT NOT NULL REFERENCES consent_rounds(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('agree', 'live', 'object')),
    PRIMARY KEY (consent_id, participant_id, point_id)
  ) WITHOUT ROWID;
  `,
  /* 9: the question's background and its plain words check; the workshop's glossary */ `
  ALTER TABLE workshops ADD COLUMN context TEXT NOT NULL DEFAULT '';
  ALTER TABLE workshops ADD COLUMN question_check TEXT;
  CREATE TABLE glossary_terms (
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    term TEXT NOT NULL,
    term_key TEXT NOT NULL,
    explanation TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workshop_id, id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX glossary_terms_by_key ON glossary_terms(workshop_id, term_key);
  `,
  /*
   * 10: "you said, we did": recommendations, their append-only timelines and each person's last
   * look at them; a workshop may follow an earlier one of its group (after_id, group_id).
   */ `
  ALTER TABLE workshops ADD COLUMN after_id TEXT;
  ALTER TABLE workshops ADD COLUMN group_id TEXT;
  CREATE INDEX workshops_by_group ON workshops(group_id) WHERE group_id IS NOT NULL;
  CREATE TABLE recommendations (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    addressed_to TEXT NOT NULL,
    source TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (workshop_id, number)
  );
  CREATE TABLE recommendation_entries (
    recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq > 0),
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    by_role TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX recommendation_entries_by_workshop ON recommendation_entries(workshop_id);
  -- A timeline is append-only: nothing may rewrite an entry (a correction is a new entry).
  CREATE TRIGGER recommendation_entries_append_only BEFORE UPDATE ON recommendation_entries
  BEGIN SELECT RAISE(ABORT, 'a recommendation timeline is append-only'); END;
  CREATE TABLE outcome_visits (
    participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    seen_at INTEGER NOT NULL,
    since INTEGER
  );
  `,
  /*
   * 11: present links (/p/<token>: the present view of one workshop and nothing else). At most one
   * works per workshop (a partial unique index); renewing turns it off and adds another.
   */ `
  CREATE TABLE present_links (
    token TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE UNIQUE INDEX one_present_link_per_workshop ON present_links(workshop_id) WHERE revoked_at IS NULL;
  `,
  /*
   * 12: forums (a named group at a level, with an optional parent), their capability links, the
   * workshops that belong to each, the key points they share up (kept when withdrawn, and when
   * their workshop is deleted: provenance is never lost) and rolled-up cards' sources.
   */ `
  CREATE TABLE forums (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id TEXT REFERENCES forums(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX forums_by_parent ON forums(parent_id) WHERE parent_id IS NOT NULL;
  CREATE TABLE forum_links (
    token TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX forum_links_by_forum ON forum_links(forum_id);
  CREATE TABLE forum_workshops (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL
  );
  CREATE INDEX forum_workshops_by_forum ON forum_workshops(forum_id);
  CREATE TABLE shared_points (
    id TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    workshop_id TEXT NOT NULL,
    workshop_title TEXT NOT NULL,
    board_id TEXT NOT NULL,
    point_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    agreed_at INTEGER NOT NULL,
    backing TEXT NOT NULL,
    origins TEXT NOT NULL,
    shared_at INTEGER NOT NULL,
    withdrawn_at INTEGER
  );
  CREATE INDEX shared_points_by_forum ON shared_points(forum_id, shared_at);
  CREATE UNIQUE INDEX one_live_share ON shared_points(forum_id, board_id, point_id, version) WHERE withdrawn_at IS NULL;
  CREATE TABLE rollup_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    sources TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (board_id, card_id)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_cards_by_workshop ON rollup_cards(workshop_id);
  `,
  /*
   * 13: involvement records (issue 13, item 6): the time of people
   * who asked for it to be recorded, kept apart from anything they wrote: no card, draft or answer
   * refers to these tables, nor they to one. An interval is open (ended_at NULL) while the person
   * is connected; at most one is open per person; seen_at is where a restart closes it.
   */ `
  CREATE TABLE involvement_records (
    participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('payment', 'voucher', 'none')),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX involvement_records_by_workshop ON involvement_records(workshop_id, created_at);
  CREATE TABLE attendance_intervals (
    participant_id TEXT NOT NULL REFERENCES involvement_records(participant_id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX attendance_intervals_by_participant ON attendance_intervals(participant_id, started_at);
  CREATE UNIQUE INDEX one_open_interval_per_person ON attendance_intervals(participant_id) WHERE ended_at IS NULL;
  `,
  /*
   * 14: board meetings a forum prepares for (issue 13, item 5): the points to raise as they stood
   * (with their provenance), the forum's agreed words and what the board said, and members'
   * comments (an anonymous one keeps no participant and no name).
   */ `
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX meetings_by_forum ON meetings(forum_id, date);
  CREATE TABLE meeting_points (
    meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    provenance TEXT NOT NULL,
    agreed TEXT,
    board_said TEXT,
    PRIMARY KEY (meeting_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE meeting_comments (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    point_id TEXT NOT NULL,
    participant_id TEXT REFERENCES participants(id) ON DELETE CASCADE,
    name TEXT,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    FOREIGN KEY (meeting_id, point_id) REFERENCES meeting_points(meeting_id, id) ON DELETE CASCADE
  );
  CREATE INDEX meeting_comments_by_meeting ON meeting_comments(meeting_id, created_at);
  `
];
