// Numbered migrations for Postgres, its own numbering: the table roundtable_migrations holds the
// versions applied. Append only: never edit one that has shipped. The first is the whole schema
// as of SQLite's migrations 1-11 (server/persistence/sqlite/migrations.ts); each later SQLite
// migration gets a twin here. Differences from SQLite: BIGINT times and ids, BYTEA board data,
// BOOLEAN flags, and a `seq` column (a sequence) where SQLite orders ties by rowid.
export const MIGRATIONS: string[] = [
  /* 1: everything of SQLite's 1-11 */ `
  CREATE TABLE workshops (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    ended_at BIGINT,
    context TEXT NOT NULL DEFAULT '',
    question_check TEXT,
    after_id TEXT,
    group_id TEXT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX workshops_by_group ON workshops(group_id) WHERE group_id IS NOT NULL;
  CREATE INDEX workshops_ended ON workshops(ended_at) WHERE ended_at IS NOT NULL;
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
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX invites_by_workshop ON invites(workshop_id);
  CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    removed_at BIGINT,
    representative BOOLEAN NOT NULL DEFAULT false,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX participants_by_workshop ON participants(workshop_id);
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE INDEX sessions_by_participant ON sessions(participant_id);
  CREATE TABLE board_updates (
    id BIGSERIAL PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    data BYTEA NOT NULL
  );
  CREATE INDEX board_updates_by_board ON board_updates(board_id, id);
  CREATE TABLE board_snapshots (
    board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
    data BYTEA NOT NULL,
    upto_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE workshop_state (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE TABLE drafts (
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    draft_id TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    lane TEXT NOT NULL,
    text TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL,
    PRIMARY KEY (participant_id, draft_id)
  );
  CREATE INDEX drafts_by_board ON drafts(board_id);
  CREATE INDEX drafts_by_workshop ON drafts(workshop_id);
  CREATE TABLE card_authors (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE INDEX card_authors_by_participant ON card_authors(participant_id);
  CREATE TABLE hidden_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    lane TEXT NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    hidden_at BIGINT NOT NULL,
    card TEXT,
    seq BIGSERIAL NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE TABLE votes (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    items TEXT NOT NULL,
    votes_per_person INTEGER NOT NULL,
    max_per_item INTEGER NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    labels TEXT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX votes_by_workshop ON votes(workshop_id, opened_at);
  CREATE INDEX votes_by_board ON votes(board_id);
  CREATE UNIQUE INDEX one_open_vote_per_board ON votes(board_id) WHERE closed_at IS NULL;
  CREATE TABLE vote_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (vote_id, participant_id, item_id)
  );
  CREATE INDEX vote_ballots_by_participant ON vote_ballots(participant_id);
  CREATE TABLE vote_groups (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    eligible INTEGER NOT NULL,
    voters INTEGER NOT NULL,
    shown TEXT NOT NULL,
    PRIMARY KEY (vote_id, role)
  );
  CREATE TABLE vote_tallies (
    vote_id TEXT NOT NULL REFERENCES votes(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    item_id TEXT NOT NULL,
    votes INTEGER NOT NULL,
    backers INTEGER NOT NULL,
    PRIMARY KEY (vote_id, unit, item_id)
  );
  CREATE TABLE deleted_workshops (
    id TEXT PRIMARY KEY,
    deleted_at BIGINT NOT NULL
  );
  CREATE TABLE removed_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    card TEXT NOT NULL,
    author_id TEXT REFERENCES participants(id) ON DELETE CASCADE,
    removed_by TEXT NOT NULL,
    removed_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE INDEX removed_cards_by_author ON removed_cards(author_id) WHERE author_id IS NOT NULL;
  CREATE TABLE card_notices (
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (participant_id, board_id, card_id, kind)
  );
  CREATE INDEX card_notices_by_card ON card_notices(board_id, card_id);
  CREATE TABLE agreed_keypoints (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    agreed_at BIGINT NOT NULL,
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
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    summary TEXT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX consent_rounds_by_workshop ON consent_rounds(workshop_id, opened_at);
  CREATE INDEX consent_rounds_by_board ON consent_rounds(board_id);
  CREATE UNIQUE INDEX one_open_consent_per_board ON consent_rounds(board_id) WHERE closed_at IS NULL;
  CREATE TABLE consent_answers (
    consent_id TEXT NOT NULL REFERENCES consent_rounds(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    point_id TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('agree', 'live', 'object')),
    PRIMARY KEY (consent_id, participant_id, point_id)
  );
  CREATE INDEX consent_answers_by_participant ON consent_answers(participant_id);
  CREATE TABLE glossary_terms (
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    term TEXT NOT NULL,
    term_key TEXT NOT NULL,
    explanation TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (workshop_id, id)
  );
  CREATE UNIQUE INDEX glossary_terms_by_key ON glossary_terms(workshop_id, term_key);
  CREATE TABLE recommendations (
    id TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    addressed_to TEXT NOT NULL,
    source TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (workshop_id, number)
  );
  CREATE TABLE recommendation_entries (
    recommendation_id TEXT NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq > 0),
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    by_role TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, seq)
  );
  CREATE INDEX recommendation_entries_by_workshop ON recommendation_entries(workshop_id);
  -- A timeline is append-only: nothing may rewrite an entry (a correction is a new entry).
  CREATE FUNCTION recommendation_entries_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'a recommendation timeline is append-only';
  END $$;
  CREATE TRIGGER recommendation_entries_append_only BEFORE UPDATE ON recommendation_entries
    FOR EACH ROW EXECUTE FUNCTION recommendation_entries_refuse_update();
  CREATE TABLE outcome_visits (
    participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    seen_at BIGINT NOT NULL,
    since BIGINT
  );
  CREATE TABLE present_links (
    token TEXT PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE INDEX present_links_by_workshop ON present_links(workshop_id);
  CREATE UNIQUE INDEX one_present_link_per_workshop ON present_links(workshop_id) WHERE revoked_at IS NULL;
  `,
  /* 2: SQLite's 12: forums, their links and workshops, the key points they share up, rolled-up cards' sources */ `
  CREATE TABLE forums (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_id TEXT REFERENCES forums(id),
    created_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX forums_by_parent ON forums(parent_id) WHERE parent_id IS NOT NULL;
  CREATE TABLE forum_links (
    token TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX forum_links_by_forum ON forum_links(forum_id);
  CREATE TABLE forum_workshops (
    workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL
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
    agreed_at BIGINT NOT NULL,
    backing TEXT NOT NULL,
    origins TEXT NOT NULL,
    shared_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX shared_points_by_forum ON shared_points(forum_id, shared_at);
  CREATE UNIQUE INDEX one_live_share ON shared_points(forum_id, board_id, point_id, version) WHERE withdrawn_at IS NULL;
  CREATE TABLE rollup_cards (
    board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    sources TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, card_id)
  );
  CREATE INDEX rollup_cards_by_workshop ON rollup_cards(workshop_id);
  `,
  /* 3: SQLite's 13: involvement records and their connected intervals, apart from anything people wrote */ `
  CREATE TABLE involvement_records (
    participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('payment', 'voucher', 'none')),
    created_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX involvement_records_by_workshop ON involvement_records(workshop_id, created_at);
  CREATE TABLE attendance_intervals (
    participant_id TEXT NOT NULL REFERENCES involvement_records(participant_id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    seen_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX attendance_intervals_by_participant ON attendance_intervals(participant_id, started_at);
  CREATE UNIQUE INDEX one_open_interval_per_person ON attendance_intervals(participant_id) WHERE ended_at IS NULL;
  `,
  /* 4: SQLite's 14: board meetings a forum prepares for, their points and members' comments */ `
  CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    forum_id TEXT NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL
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
  );
  CREATE TABLE meeting_comments (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    point_id TEXT NOT NULL,
    participant_id TEXT REFERENCES participants(id) ON DELETE CASCADE,
    name TEXT,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seq BIGSERIAL NOT NULL,
    FOREIGN KEY (meeting_id, point_id) REFERENCES meeting_points(meeting_id, id) ON DELETE CASCADE
  );
  CREATE INDEX meeting_comments_by_meeting ON meeting_comments(meeting_id, created_at);
  CREATE INDEX meeting_comments_by_participant ON meeting_comments(participant_id) WHERE participant_id IS NOT NULL;
  `,
  /* 5: Postgres only: the lock check of server/persistence/locked.ts, so an append is one statement */ `
  -- Whether a stored facilitation state locks a board: its lockedBoards is an array holding the
  -- board's id. Unreadable state locks nothing, as lockedIn() in server/persistence/locked.ts.
  CREATE FUNCTION roundtable_board_locked(state TEXT, board_id TEXT) RETURNS BOOLEAN
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
  DECLARE
    boards JSONB;
  BEGIN
    boards := state::jsonb -> 'lockedBoards';
    RETURN jsonb_typeof(boards) = 'array' AND boards @> jsonb_build_array(board_id);
  EXCEPTION WHEN others THEN
    RETURN false;
  END $$;
  `
];
