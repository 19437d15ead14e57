//! Sessions, second factors and ProConnect identities: their SQL, written
//! once for both databases (the statements are the same in SQLite and
//! PostgreSQL).

/// Implements [`crate::SignInStore`] for a store crate's type (with a
/// `pool` field), in a module of that crate; the crate's `dialect` module
/// gives what differs by database.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! signin_store {
    ($store:ty) => {
        mod signin_impl {
            use async_trait::async_trait;
            use passerelle_domain::Account;
            use passerelle_store::signin::OIDC_REQUEST_SECONDS;
            use passerelle_store::{
                Identity, IdentityConflict, NewSession, SecondFactor, Session, SessionInfo,
                SignInStore, StoreError,
            };
            use sqlx::Row as _;

            use crate::accounts_sql::read_account;
            use crate::catalogue_sql::log_activity;
            use crate::dialect::{begin_write, db, now};

            /// A session's last use is written when it is older than this.
            const TOUCH_SECONDS: i64 = 60;

            /// The tables whose `email` column names an account, moved
            /// together when its address changes.
            const KEYED_BY_EMAIL: &[&str] = &[
                "memberships",
                "sessions",
                "api_tokens",
                "identities",
                "second_factors",
                "recovery_codes",
                "links",
            ];

            #[async_trait]
            impl SignInStore for $store {
                async fn open_session(&self, new: &NewSession<'_>) -> Result<(), StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                        .bind(new.now)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, email, csrf, created_at, expires_at,
                            started_at, last_seen_at, user_agent, ip, pending, second_factor, id_token)
                         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(new.token_hash)
                    .bind(new.email)
                    .bind(new.csrf)
                    .bind(&at)
                    .bind(new.expires_at)
                    .bind(new.now)
                    .bind(new.user_agent)
                    .bind(new.ip)
                    .bind(new.pending)
                    .bind(new.second_factor)
                    .bind(new.id_token)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    let detail = if new.pending {
                        format!("{} (second facteur attendu)", new.method)
                    } else {
                        new.method.to_owned()
                    };
                    log_activity(&mut tx, None, new.email, &at, "sign-in", new.email, &detail)
                        .await?;
                    tx.commit().await.map_err(db)
                }

                async fn live_session(
                    &self,
                    token_hash: &str,
                    now: i64,
                    idle_secs: i64,
                ) -> Result<Option<Session>, StoreError> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    let row = sqlx::query(
                        "SELECT email, csrf, pending, second_factor, id_token, last_seen_at
                         FROM sessions WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .bind(now - idle_secs)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(None) };
                    let email: String = row.get(0);
                    let last_seen: i64 = row.get(5);
                    if now - last_seen >= TOUCH_SECONDS {
                        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                            .bind(now)
                            .bind(token_hash)
                            .execute(&mut *conn)
                            .await
                            .map_err(db)?;
                    }
                    let Some((account, _)) = read_account(&mut conn, &email, true).await? else {
                        return Ok(None);
                    };
                    Ok(Some(Session {
                        account,
                        csrf: row.get(1),
                        pending: row.get(2),
                        second_factor: row.get(3),
                        id_token: row.get(4),
                    }))
                }

                async fn sessions_of(
                    &self,
                    email: &str,
                    now: i64,
                    idle_secs: i64,
                ) -> Result<Vec<SessionInfo>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT token_hash, started_at, last_seen_at, user_agent, ip, id_token IS NOT NULL
                         FROM sessions WHERE email = $1 AND expires_at > $2 AND last_seen_at > $3
                         ORDER BY last_seen_at DESC, started_at DESC",
                    )
                    .bind(email)
                    .bind(now)
                    .bind(now - idle_secs)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(rows
                        .iter()
                        .map(|r| {
                            let hash: String = r.get(0);
                            SessionInfo {
                                id: hash.chars().take(16).collect(),
                                started_at: r.get(1),
                                last_seen_at: r.get(2),
                                user_agent: r.get(3),
                                ip: r.get(4),
                                by_proconnect: r.get(5),
                            }
                        })
                        .collect())
                }

                async fn end_session_of(&self, email: &str, id: &str) -> Result<bool, StoreError> {
                    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Ok(false);
                    }
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    let ended = sqlx::query(
                        "DELETE FROM sessions WHERE email = $1 AND substr(token_hash, 1, 16) = $2",
                    )
                    .bind(email)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected();
                    if ended > 0 {
                        log_activity(&mut tx, None, email, &at, "end-session", email, id).await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(ended > 0)
                }

                async fn end_other_sessions(
                    &self,
                    email: &str,
                    keep_token_hash: &str,
                ) -> Result<u64, StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    let ended = end_others(&mut tx, email, keep_token_hash).await?;
                    log_activity(
                        &mut tx,
                        None,
                        email,
                        &at,
                        "end-other-sessions",
                        email,
                        &ended.to_string(),
                    )
                    .await?;
                    tx.commit().await.map_err(db)?;
                    Ok(ended)
                }

                async fn pass_second_factor(&self, token_hash: &str) -> Result<(), StoreError> {
                    let mut conn = self.pool.acquire().await.map_err(db)?;
                    passed(&mut conn, token_hash).await
                }

                async fn change_password(
                    &self,
                    email: &str,
                    password_hash: &str,
                    keep_token_hash: &str,
                ) -> Result<(), StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    sqlx::query("UPDATE accounts SET password_hash = $1 WHERE email = $2")
                        .bind(password_hash)
                        .bind(email)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    let ended = end_others(&mut tx, email, keep_token_hash).await?;
                    log_activity(
                        &mut tx,
                        None,
                        email,
                        &at,
                        "change-password",
                        email,
                        &format!("{ended} autre(s) session(s) fermée(s)"),
                    )
                    .await?;
                    tx.commit().await.map_err(db)
                }

                async fn second_factor(
                    &self,
                    email: &str,
                ) -> Result<Option<SecondFactor>, StoreError> {
                    let row = sqlx::query(
                        "SELECT secret, confirmed_at IS NOT NULL, last_step FROM second_factors WHERE email = $1",
                    )
                    .bind(email)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(row.map(|r| SecondFactor {
                        secret: r.get(0),
                        confirmed: r.get(1),
                        last_step: r.get(2),
                    }))
                }

                async fn confirm_enrolment(
                    &self,
                    email: &str,
                    secret: &str,
                    step: i64,
                    recovery_hashes: &[String],
                    keep_token_hash: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let at = passerelle_store::rows::rfc3339(now);
                    let mut tx = begin_write(&self.pool).await?;
                    // The row is the new secret's: insert or replace it whole
                    // (a confirmed factor being changed is replaced here).
                    sqlx::query(
                        "INSERT INTO second_factors (email, secret, created_at, confirmed_at, last_step)
                         VALUES ($1, $2, $3, $3, $4)
                         ON CONFLICT (email) DO UPDATE SET secret = $2, confirmed_at = $3, last_step = $4",
                    )
                    .bind(email)
                    .bind(secret)
                    .bind(now)
                    .bind(step)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query("DELETE FROM recovery_codes WHERE email = $1")
                        .bind(email)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    for hash in recovery_hashes {
                        sqlx::query("INSERT INTO recovery_codes (email, code_hash) VALUES ($1, $2)")
                            .bind(email)
                            .bind(hash)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    let ended = end_others(&mut tx, email, keep_token_hash).await?;
                    passed(&mut tx, keep_token_hash).await?;
                    log_activity(
                        &mut tx,
                        None,
                        email,
                        &at,
                        "enrol-second-factor",
                        email,
                        &format!("{ended} autre(s) session(s) fermée(s)"),
                    )
                    .await?;
                    tx.commit().await.map_err(db)
                }

                async fn use_totp_step(&self, email: &str, step: i64) -> Result<bool, StoreError> {
                    let used = sqlx::query(
                        "UPDATE second_factors SET last_step = $1
                         WHERE email = $2 AND last_step < $1 AND confirmed_at IS NOT NULL",
                    )
                    .bind(step)
                    .bind(email)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(used.rows_affected() == 1)
                }

                async fn use_recovery_code(
                    &self,
                    email: &str,
                    code_hash: &str,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let at = passerelle_store::rows::rfc3339(now);
                    let mut tx = begin_write(&self.pool).await?;
                    let used = sqlx::query(
                        "UPDATE recovery_codes SET used_at = $1
                         WHERE email = $2 AND code_hash = $3 AND used_at IS NULL",
                    )
                    .bind(now)
                    .bind(email)
                    .bind(code_hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
                        == 1;
                    if used {
                        log_activity(&mut tx, None, email, &at, "use-recovery-code", email, "")
                            .await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(used)
                }

                async fn remove_second_factor(
                    &self,
                    email: &str,
                    actor: &str,
                ) -> Result<bool, StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    let removed = sqlx::query("DELETE FROM second_factors WHERE email = $1")
                        .bind(email)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?
                        .rows_affected()
                        == 1;
                    for statement in [
                        "DELETE FROM recovery_codes WHERE email = $1",
                        "DELETE FROM sessions WHERE email = $1",
                    ] {
                        sqlx::query(statement)
                            .bind(email)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    if removed {
                        log_activity(&mut tx, None, actor, &at, "remove-second-factor", email, "")
                            .await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(removed)
                }

                async fn recovery_codes_left(&self, email: &str) -> Result<u32, StoreError> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM recovery_codes WHERE email = $1 AND used_at IS NULL",
                    )
                    .bind(email)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(u32::try_from(n).unwrap_or(0))
                }

                async fn save_oidc_request(
                    &self,
                    state_hash: &str,
                    nonce: &str,
                    verifier: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await?;
                    sqlx::query("DELETE FROM oidc_requests WHERE created_at < $1")
                        .bind(now - OIDC_REQUEST_SECONDS)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query(
                        "INSERT INTO oidc_requests (state_hash, nonce, verifier, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(state_hash)
                    .bind(nonce)
                    .bind(verifier)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    tx.commit().await.map_err(db)
                }

                async fn take_oidc_request(
                    &self,
                    state_hash: &str,
                    now: i64,
                ) -> Result<Option<(String, String)>, StoreError> {
                    let row = sqlx::query(
                        "DELETE FROM oidc_requests WHERE state_hash = $1 RETURNING nonce, verifier, created_at",
                    )
                    .bind(state_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(row
                        .filter(|r| r.get::<i64, _>(2) >= now - OIDC_REQUEST_SECONDS)
                        .map(|r| (r.get(0), r.get(1))))
                }

                async fn identity_account(
                    &self,
                    issuer: &str,
                    subject: &str,
                ) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar(
                        "SELECT email FROM identities WHERE issuer = $1 AND subject = $2",
                    )
                    .bind(issuer)
                    .bind(subject)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn attach_identity(
                    &self,
                    identity: &Identity<'_>,
                    email: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let at = passerelle_store::rows::rfc3339(now);
                    let mut tx = begin_write(&self.pool).await?;
                    let known: Option<String> = sqlx::query_scalar(
                        "SELECT email FROM identities WHERE issuer = $1 AND subject = $2",
                    )
                    .bind(identity.issuer)
                    .bind(identity.subject)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    sqlx::query(
                        "INSERT INTO identities (issuer, subject, email, idp_id, siret, created_at, last_used_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $6)
                         ON CONFLICT (issuer, subject) DO UPDATE
                         SET email = $3, idp_id = $4, siret = $5, last_used_at = $6",
                    )
                    .bind(identity.issuer)
                    .bind(identity.subject)
                    .bind(email)
                    .bind(identity.idp_id)
                    .bind(identity.siret)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if known.is_none() {
                        log_activity(
                            &mut tx,
                            None,
                            email,
                            &at,
                            "attach-identity",
                            email,
                            identity.issuer,
                        )
                        .await?;
                    }
                    tx.commit().await.map_err(db)
                }

                async fn change_email(
                    &self,
                    old: &str,
                    new: &str,
                    actor: &str,
                ) -> Result<(), StoreError> {
                    if old.eq_ignore_ascii_case(new) {
                        return Ok(());
                    }
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    let copied = sqlx::query(
                        "INSERT INTO accounts (email, name, active, instance_role, password_hash, created_at, awaiting_cite)
                         SELECT $1, name, active, instance_role, password_hash, created_at, awaiting_cite
                         FROM accounts WHERE email = $2
                         ON CONFLICT (email) DO NOTHING",
                    )
                    .bind(new)
                    .bind(old)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    if copied.rows_affected() == 0 {
                        return Err(StoreError::DuplicateAccount(new.to_owned()));
                    }
                    for table in KEYED_BY_EMAIL {
                        // The table names are this module's constants.
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "UPDATE {table} SET email = $1 WHERE email = $2"
                        )))
                            .bind(new)
                            .bind(old)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    sqlx::query("UPDATE applications SET applicant = $1 WHERE lower(applicant) = lower($2)")
                        .bind(new)
                        .bind(old)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query("DELETE FROM accounts WHERE email = $1")
                        .bind(old)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    log_activity(&mut tx, None, actor, &at, "change-email", new, old).await?;
                    tx.commit().await.map_err(db)
                }

                async fn record_identity_conflict(
                    &self,
                    identity: &Identity<'_>,
                    account_email: &str,
                    claimed_email: &str,
                    now: i64,
                ) -> Result<(), StoreError> {
                    let at = passerelle_store::rows::rfc3339(now);
                    let mut tx = begin_write(&self.pool).await?;
                    let open: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM identity_conflicts
                         WHERE issuer = $1 AND subject = $2 AND lower(claimed_email) = lower($3)
                         AND resolved_at IS NULL",
                    )
                    .bind(identity.issuer)
                    .bind(identity.subject)
                    .bind(claimed_email)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    if open == 0 {
                        sqlx::query(
                            "INSERT INTO identity_conflicts (issuer, subject, account_email, claimed_email, seen_at)
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(identity.issuer)
                        .bind(identity.subject)
                        .bind(account_email)
                        .bind(claimed_email)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                        log_activity(
                            &mut tx,
                            None,
                            account_email,
                            &at,
                            "identity-conflict",
                            account_email,
                            claimed_email,
                        )
                        .await?;
                    }
                    tx.commit().await.map_err(db)
                }

                async fn identity_conflicts(&self) -> Result<Vec<IdentityConflict>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, issuer, subject, account_email, claimed_email, seen_at
                         FROM identity_conflicts WHERE resolved_at IS NULL ORDER BY id",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(rows
                        .iter()
                        .map(|r| IdentityConflict {
                            id: r.get(0),
                            issuer: r.get(1),
                            subject: r.get(2),
                            account_email: r.get(3),
                            claimed_email: r.get(4),
                            seen_at: r.get(5),
                        })
                        .collect())
                }

                async fn resolve_identity_conflict(
                    &self,
                    id: i64,
                    actor: &str,
                    now: i64,
                ) -> Result<bool, StoreError> {
                    let at = passerelle_store::rows::rfc3339(now);
                    let mut tx = begin_write(&self.pool).await?;
                    let done = sqlx::query(
                        "UPDATE identity_conflicts SET resolved_by = $1, resolved_at = $2
                         WHERE id = $3 AND resolved_at IS NULL",
                    )
                    .bind(actor)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
                        == 1;
                    if done {
                        log_activity(
                            &mut tx,
                            None,
                            actor,
                            &at,
                            "resolve-identity-conflict",
                            &id.to_string(),
                            "",
                        )
                        .await?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(done)
                }

                async fn provision_account(
                    &self,
                    account: &Account,
                    cite: &str,
                    actor: &str,
                ) -> Result<(), StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    // No password: an empty hash never verifies.
                    crate::accounts_sql::insert_account(&mut tx, account, "", &at).await?;
                    sqlx::query("UPDATE accounts SET awaiting_cite = $1 WHERE email = $2")
                        .bind(cite)
                        .bind(account.email.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    log_activity(
                        &mut tx,
                        Some(cite),
                        actor,
                        &at,
                        "provision-account",
                        account.email.as_str(),
                        "liste d'accès de la cité",
                    )
                    .await?;
                    tx.commit().await.map_err(db)
                }

                async fn awaiting_accounts(&self, cite: &str) -> Result<Vec<Account>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT email, name, active, instance_role FROM accounts
                         WHERE awaiting_cite = $1 AND NOT EXISTS
                           (SELECT 1 FROM memberships m WHERE m.email = accounts.email AND m.cite = $1)
                         ORDER BY email",
                    )
                    .bind(cite)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|r| {
                            let role: Option<String> = r.get(3);
                            passerelle_store::rows::account(
                                &r.get::<String, _>(0),
                                r.get(1),
                                r.get(2),
                                role.as_deref(),
                            )
                        })
                        .collect()
                }

                async fn accept_invitation_of(
                    &self,
                    email: &str,
                    now: i64,
                ) -> Result<Option<Account>, StoreError> {
                    let hash: Option<String> = sqlx::query_scalar(
                        "SELECT token_hash FROM links WHERE email = $1 AND purpose = 'invitation'
                         AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1",
                    )
                    .bind(email)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(hash) = hash else { return Ok(None) };
                    match passerelle_store::AccountStore::use_link(
                        self,
                        &hash,
                        passerelle_store::LinkPurpose::Invitation,
                        now,
                        "",
                    )
                    .await
                    {
                        Ok(account) => Ok(Some(account)),
                        // Used meanwhile by the link itself: the account exists.
                        Err(StoreError::InvalidLink) => Ok(None),
                        Err(e) => Err(e),
                    }
                }

                async fn note_activity(
                    &self,
                    actor: &str,
                    action: &str,
                    target: &str,
                    detail: &str,
                ) -> Result<(), StoreError> {
                    let at = now();
                    let mut tx = begin_write(&self.pool).await?;
                    log_activity(&mut tx, None, actor, &at, action, target, detail).await?;
                    tx.commit().await.map_err(db)
                }
            }

            /// The session passed the second factor.
            async fn passed(
                conn: &mut crate::dialect::Conn,
                token_hash: &str,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE sessions SET pending = $1, second_factor = $2 WHERE token_hash = $3",
                )
                .bind(false)
                .bind(true)
                .bind(token_hash)
                .execute(&mut *conn)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// Ends an account's sessions but one, in a transaction.
            async fn end_others(
                tx: &mut crate::dialect::Conn,
                email: &str,
                keep_token_hash: &str,
            ) -> Result<u64, StoreError> {
                Ok(sqlx::query("DELETE FROM sessions WHERE email = $1 AND token_hash <> $2")
                    .bind(email)
                    .bind(keep_token_hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected())
            }
        }
    };
}
