//! Registrations, the day's participants, contributions, supports and
//! summaries: their SQL, written once for both databases. Where a read
//! decides a write (the places left), the event is locked first by the
//! dialect's `lock_event`.

/// Implements the trait for a store crate's type (`$store`, with a `pool`
/// field), in a module `participation_sql` of that crate; the crate's `dialect` module
/// gives what differs by database.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` is the store crate expanding it: its pool and its `dialect`"
)]
macro_rules! participation_store {
    ($store:ty) => {
        pub(crate) mod participation_sql {
            use async_trait::async_trait;
            use passerelle_domain::{Contribution, Registration, RegistrationForm, RegistrationStatus};
            use passerelle_store::rows;
            use passerelle_store::{Participant, ParticipationStore, StoreError};
            use sqlx::Row as _;

            use crate::catalogue_sql::log_activity;
            use crate::dialect::{Conn, Row, begin_write, db, now};



/// The columns [`registration_row`] reads, in order (a macro: SQL is static).
macro_rules! registration_columns {
    () => {
        "id, event, name, email, organisation, kind, choices, status, workshop, created_at, cite"
    };
}

/// The columns [`contribution_row`] reads, with the support count.
macro_rules! contribution_select {
    () => {
        "SELECT c.id, c.event, c.question, c.text, c.author, c.fiche, c.created_at, c.hidden_reason,
        (SELECT COUNT(*) FROM supports s WHERE s.contribution = c.id), c.cite FROM contributions c"
    };
}

fn registration_row(r: &Row) -> Result<Registration, StoreError> {
    rows::registration(rows::RegistrationColumns {
        id: r.get(0),
        event: r.get(1),
        name: r.get(2),
        email: r.get(3),
        organisation: r.get(4),
        kind: r.get(5),
        choices: r.get(6),
        status: r.get(7),
        workshop: r.get(8),
        created_at: r.get(9),
        cite: r.get(10),
    })
}

fn contribution_row(r: &Row) -> Contribution {
    let fiche: Option<i64> = r.get(5);
    let supports: i64 = r.get(8);
    Contribution {
        id: r.get(0),
        event: r.get(1),
        question: r.get(2),
        text: r.get(3),
        author: r.get(4),
        fiche: fiche.and_then(|f| u32::try_from(f).ok()),
        created_at: r.get(6),
        hidden: r.get(7),
        supports: u32::try_from(supports).unwrap_or(0),
        cite: r.get(9),
    }
}

/// Promotes the oldest waiting registrations of an event while places are
/// free (the event's row locked by the caller).
async fn promote(
    tx: &mut Conn,
    cite: &str,
    event: &str,
    capacity: Option<u32>,
) -> Result<Option<Registration>, StoreError> {
    let confirmed = confirmed_places(&mut *tx, cite, event).await?;
    if capacity.is_some_and(|c| confirmed >= i64::from(c)) {
        return Ok(None);
    }
    let row = sqlx::query(concat!("UPDATE registrations SET status = 'confirmed'
         WHERE id = (SELECT id FROM registrations WHERE cite = $1 AND event = $2 AND status = 'waiting' ORDER BY id LIMIT 1)
         RETURNING ", registration_columns!()))
    .bind(cite)
    .bind(event)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    row.map(|r| registration_row(&r)).transpose()
}

/// The confirmed places of an event (the event locked by the caller).
async fn confirmed_places(tx: &mut Conn, cite: &str, event: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE cite = $1 AND event = $2 AND status = 'confirmed'",
    )
    .bind(cite)
    .bind(event)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)
}

#[async_trait]
impl ParticipationStore for $store {
    async fn register(
        &self,
        cite: &str,
        event: &str,
        event_date: &str,
        form: &RegistrationForm,
        token_hash: &str,
        capacity: Option<u32>,
    ) -> Result<Registration, StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        crate::dialect::lock_event(&mut tx, cite, event).await?;
        let confirmed = confirmed_places(&mut tx, cite, event).await?;
        let status = if capacity.is_some_and(|c| confirmed >= i64::from(c)) {
            RegistrationStatus::Waiting
        } else {
            RegistrationStatus::Confirmed
        };
        let row = sqlx::query(concat!("INSERT INTO registrations (cite, event, event_date, token_hash, name, email, organisation, kind, choices, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING ", registration_columns!()))
        .bind(cite)
        .bind(event)
        .bind(event_date)
        .bind(token_hash)
        .bind(&form.name)
        .bind(form.email.as_str())
        .bind(&form.organisation)
        .bind(form.kind.key())
        .bind(rows::choices_json(&form.choices))
        .bind(status.key())
        .bind(&at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            return Err(StoreError::DuplicateRegistration(form.email.to_string()));
        };
        let registration = registration_row(&row)?;
        tx.commit().await.map_err(db)?;
        Ok(registration)
    }

    async fn registration(&self, token_hash: &str) -> Result<Option<Registration>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            registration_columns!(),
            " FROM registrations WHERE token_hash = $1 AND NOT anonymised"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| registration_row(&r)).transpose()
    }

    async fn update_registration(
        &self,
        token_hash: &str,
        form: &RegistrationForm,
    ) -> Result<Registration, StoreError> {
        let row = sqlx::query(concat!(
            "UPDATE registrations SET name = $1, organisation = $2, kind = $3, choices = $4
             WHERE token_hash = $5 AND NOT anonymised RETURNING ",
            registration_columns!()
        ))
        .bind(&form.name)
        .bind(&form.organisation)
        .bind(form.kind.key())
        .bind(rows::choices_json(&form.choices))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let row = row.ok_or(StoreError::InvalidLink)?;
        registration_row(&row)
    }

    async fn cancel_registration(
        &self,
        token_hash: &str,
        capacity: Option<u32>,
        delete: bool,
    ) -> Result<Option<Registration>, StoreError> {
        let mut tx = begin_write(&self.pool).await?;
        let row = sqlx::query("SELECT cite, event FROM registrations WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::InvalidLink)?;
        let (cite, event): (String, String) = (row.get(0), row.get(1));
        crate::dialect::lock_event(&mut tx, &cite, &event).await?;
        let statement = if delete {
            "DELETE FROM registrations WHERE token_hash = $1"
        } else {
            "UPDATE registrations SET status = 'cancelled', workshop = NULL WHERE token_hash = $1"
        };
        sqlx::query(statement)
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let promoted = promote(&mut tx, &cite, &event, capacity).await?;
        tx.commit().await.map_err(db)?;
        Ok(promoted)
    }

    async fn registrations(
        &self,
        cite: &str,
        event: &str,
    ) -> Result<Vec<Registration>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            registration_columns!(),
            " FROM registrations WHERE cite = $1 AND event = $2 ORDER BY id"
        ))
        .bind(cite)
        .bind(event)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(registration_row).collect()
    }

    async fn set_workshops(
        &self,
        cite: &str,
        event: &str,
        assignments: &[(i64, Option<usize>)],
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        for (id, workshop) in assignments {
            sqlx::query(
                "UPDATE registrations SET workshop = $1 WHERE id = $2 AND cite = $3 AND event = $4",
            )
            .bind(workshop.and_then(|w| i64::try_from(w).ok()))
            .bind(id)
            .bind(cite)
            .bind(event)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        let detail = format!("{} inscription(s)", assignments.len());
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            "assign-workshops",
            event,
            &detail,
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn anonymise_registrations(&self, before: &str) -> Result<u64, StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE registrations SET name = 'Anonyme', email = NULL, organisation = '', anonymised = TRUE
             WHERE NOT anonymised AND event_date < $1",
        )
        .bind(before)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if done > 0 {
            let detail = format!("{done} inscription(s) d'événements antérieurs au {before}");
            log_activity(
                &mut tx,
                None,
                "retention",
                &at,
                "anonymise",
                "registrations",
                &detail,
            )
            .await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(done)
    }

    async fn join(&self, participant: &Participant, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO participants (token_hash, cite, event, csrf, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(&participant.cite)
        .bind(&participant.event)
        .bind(&participant.csrf)
        .bind(&participant.name)
        .bind(now())
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn participant(&self, token_hash: &str) -> Result<Option<Participant>, StoreError> {
        let row =
            sqlx::query("SELECT cite, event, csrf, name FROM participants WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
        Ok(row.map(|r| Participant {
            cite: r.get(0),
            event: r.get(1),
            csrf: r.get(2),
            name: r.get(3),
        }))
    }

    async fn contribute(
        &self,
        cite: &str,
        event: &str,
        question: &str,
        text: &str,
        author: &str,
        author_id: &str,
        fiche: Option<u32>,
    ) -> Result<Contribution, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contributions (cite, event, question, text, author, author_id, fiche, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(cite)
        .bind(event)
        .bind(question)
        .bind(text)
        .bind(author)
        .bind(author_id)
        .bind(fiche.map(i64::from))
        .bind(now())
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        self.contribution(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("contribution {id} vanished")))
    }

    async fn contributions(
        &self,
        cite: &str,
        event: &str,
        with_hidden: bool,
    ) -> Result<Vec<Contribution>, StoreError> {
        let rows = if with_hidden {
            sqlx::query(concat!(
                contribution_select!(),
                " WHERE c.cite = $1 AND c.event = $2 ORDER BY c.id"
            ))
        } else {
            sqlx::query(concat!(
                contribution_select!(),
                " WHERE c.cite = $1 AND c.event = $2 AND c.hidden_reason IS NULL ORDER BY c.id"
            ))
        }
        .bind(cite)
        .bind(event)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.iter().map(contribution_row).collect())
    }

    async fn contribution(&self, id: i64) -> Result<Option<Contribution>, StoreError> {
        let row = sqlx::query(concat!(contribution_select!(), " WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.map(|r| contribution_row(&r)))
    }

    async fn support(&self, contribution: i64, supporter: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO supports (contribution, supporter, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(contribution)
        .bind(supporter)
        .bind(now())
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn moderate(
        &self,
        cite: &str,
        id: i64,
        hidden: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE contributions SET hidden_reason = $1, hidden_by = $2 WHERE id = $3 AND cite = $4",
        )
        .bind(hidden)
        .bind(hidden.map(|_| actor))
        .bind(id)
        .bind(cite)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Corrupt(format!("no contribution {id}")));
        }
        let (action, detail) = match hidden {
            Some(reason) => ("hide-contribution", reason),
            None => ("show-contribution", ""),
        };
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            action,
            &format!("contribution:{id}"),
            detail,
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn synthesis(
        &self,
        cite: &str,
        event: &str,
        question: &str,
    ) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar(
            "SELECT text FROM syntheses WHERE cite = $1 AND event = $2 AND question = $3",
        )
        .bind(cite)
        .bind(event)
        .bind(question)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)
    }

    async fn set_synthesis(
        &self,
        cite: &str,
        event: &str,
        question: &str,
        text: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO syntheses (cite, event, question, text, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (cite, event, question) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(cite)
        .bind(event)
        .bind(question)
        .bind(text)
        .bind(actor)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        log_activity(
            &mut tx,
            Some(cite),
            actor,
            &at,
            "synthesis",
            &format!("{event}:{question}"),
            "",
        )
        .await?;
        tx.commit().await.map_err(db)
    }
}

        }
    };
}
