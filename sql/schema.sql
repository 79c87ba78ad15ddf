CREATE TABLE IF NOT EXISTS __ef_migrations_history (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL,
    CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id)
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY,
        github_id bigint,
        login text NOT NULL,
        name text,
        avatar_url text,
        encrypted_access_token text,
        created_at timestamp with time zone NOT NULL,
        last_sign_in_at timestamp with time zone,
        CONSTRAINT pk_users PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE projects (
        id bigint GENERATED ALWAYS AS IDENTITY,
        name text NOT NULL,
        subdomain text NOT NULL,
        source_url text NOT NULL,
        branch text NOT NULL,
        root_directory text NOT NULL,
        dockerfile_path text,
        port_override integer,
        health_check_path text,
        cpu_limit double precision,
        memory_limit_mi_b bigint,
        auto_deploy boolean NOT NULL,
        owner_id bigint,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_projects PRIMARY KEY (id),
        CONSTRAINT fk_projects_users_owner_id FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE deployments (
        id bigint GENERATED ALWAYS AS IDENTITY,
        project_id bigint NOT NULL,
        status text NOT NULL,
        failure_reason text,
        trigger text NOT NULL,
        triggered_by text,
        commit_sha text,
        commit_message text,
        image_tag text,
        container_id text,
        container_name text,
        upstream text,
        generated_dockerfile text,
        detected_stack text,
        rollback_of_deployment_id bigint,
        exit_code integer,
        restart_count integer NOT NULL,
        created_at timestamp with time zone NOT NULL,
        started_at timestamp with time zone,
        finished_at timestamp with time zone,
        CONSTRAINT pk_deployments PRIMARY KEY (id),
        CONSTRAINT ck_deployments_status CHECK (status IN ('queued', 'cloning', 'building', 'starting', 'running', 'failed', 'stopped', 'superseded', 'crashed')),
        CONSTRAINT fk_deployments_deployments_rollback_of_deployment_id FOREIGN KEY (rollback_of_deployment_id) REFERENCES deployments (id) ON DELETE SET NULL,
        CONSTRAINT fk_deployments_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE env_vars (
        id bigint GENERATED ALWAYS AS IDENTITY,
        project_id bigint NOT NULL,
        key text NOT NULL,
        encrypted_value text NOT NULL,
        is_secret boolean NOT NULL,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_env_vars PRIMARY KEY (id),
        CONSTRAINT fk_env_vars_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE analytics_events (
        seq bigint NOT NULL,
        project_id bigint NOT NULL,
        deployment_id bigint,
        timestamp timestamp with time zone NOT NULL,
        kind text NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT pk_analytics_events PRIMARY KEY (seq),
        CONSTRAINT fk_analytics_events_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE SET NULL,
        CONSTRAINT fk_analytics_events_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE build_logs (
        seq bigint NOT NULL,
        deployment_id bigint NOT NULL,
        timestamp timestamp with time zone NOT NULL,
        line text NOT NULL,
        is_error boolean NOT NULL,
        CONSTRAINT pk_build_logs PRIMARY KEY (seq),
        CONSTRAINT fk_build_logs_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE TABLE runtime_logs (
        seq bigint NOT NULL,
        project_id bigint NOT NULL,
        deployment_id bigint NOT NULL,
        timestamp timestamp with time zone NOT NULL,
        stream text NOT NULL,
        level text,
        line text NOT NULL,
        CONSTRAINT pk_runtime_logs PRIMARY KEY (seq),
        CONSTRAINT fk_runtime_logs_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE CASCADE,
        CONSTRAINT fk_runtime_logs_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_analytics_events_deployment_id ON analytics_events (deployment_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_analytics_events_project_id_kind_timestamp ON analytics_events (project_id, kind, timestamp);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_build_logs_deployment_id_seq ON build_logs (deployment_id, seq);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_deployments_project_id_created_at ON deployments (project_id, created_at DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_deployments_rollback_of_deployment_id ON deployments (rollback_of_deployment_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_deployments_status ON deployments (status);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE UNIQUE INDEX ix_env_vars_project_id_key ON env_vars (project_id, key);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE UNIQUE INDEX ix_projects_name ON projects (name);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_projects_owner_id ON projects (owner_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE UNIQUE INDEX ix_projects_subdomain ON projects (subdomain);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_runtime_logs_deployment_id_seq ON runtime_logs (deployment_id, seq);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE INDEX ix_runtime_logs_project_id_seq ON runtime_logs (project_id, seq);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    CREATE UNIQUE INDEX ix_users_github_id ON users (github_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125180451_InitialCreate') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125180451_InitialCreate', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125182958_DeploymentHealthyAt') THEN
    ALTER TABLE deployments ADD healthy_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125182958_DeploymentHealthyAt') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125182958_DeploymentHealthyAt', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125184423_Installation') THEN
    CREATE TABLE installation (
        id integer NOT NULL,
        instance_id uuid NOT NULL,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_installation PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125184423_Installation') THEN
    CREATE UNIQUE INDEX ix_installation_instance_id ON installation (instance_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125184423_Installation') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125184423_Installation', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125190346_ProjectVariables') THEN
    CREATE TABLE data_protection_keys (
        id integer GENERATED BY DEFAULT AS IDENTITY,
        friendly_name text,
        xml text,
        CONSTRAINT pk_data_protection_keys PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125190346_ProjectVariables') THEN
    CREATE TABLE env_var_audit (
        id bigint GENERATED ALWAYS AS IDENTITY,
        project_id bigint NOT NULL,
        key character varying(255) NOT NULL,
        action character varying(16) NOT NULL,
        actor character varying(255) NOT NULL,
        at timestamp with time zone NOT NULL,
        CONSTRAINT pk_env_var_audit PRIMARY KEY (id),
        CONSTRAINT fk_env_var_audit_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125190346_ProjectVariables') THEN
    CREATE INDEX ix_env_var_audit_project_id_at ON env_var_audit (project_id, at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125190346_ProjectVariables') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125190346_ProjectVariables', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005340_VariablesBuildTimeAndScans') THEN
    ALTER TABLE env_vars DROP COLUMN is_secret;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005340_VariablesBuildTimeAndScans') THEN
    ALTER TABLE env_vars ADD is_build_time boolean NOT NULL DEFAULT FALSE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005340_VariablesBuildTimeAndScans') THEN
    CREATE TABLE variable_scans (
        project_id bigint NOT NULL,
        commit_sha character varying(64) NOT NULL,
        trigger character varying(16) NOT NULL,
        scanned_at timestamp with time zone NOT NULL,
        suggestions jsonb NOT NULL,
        CONSTRAINT pk_variable_scans PRIMARY KEY (project_id),
        CONSTRAINT fk_variable_scans_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005340_VariablesBuildTimeAndScans') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126005340_VariablesBuildTimeAndScans', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005435_ContainerStatsSamples') THEN
    CREATE TABLE container_stats_samples (
        id bigint GENERATED BY DEFAULT AS IDENTITY,
        project_id bigint NOT NULL,
        deployment_id bigint,
        container_id character varying(64) NOT NULL,
        timestamp timestamp with time zone NOT NULL,
        cpu_percent double precision,
        memory_used_bytes bigint NOT NULL,
        memory_limit_bytes bigint,
        network_rx_bytes bigint,
        network_tx_bytes bigint,
        block_read_bytes bigint NOT NULL,
        block_write_bytes bigint NOT NULL,
        CONSTRAINT pk_container_stats_samples PRIMARY KEY (id),
        CONSTRAINT fk_container_stats_samples_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE SET NULL,
        CONSTRAINT fk_container_stats_samples_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005435_ContainerStatsSamples') THEN
    CREATE INDEX ix_container_stats_samples_deployment_id ON container_stats_samples (deployment_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005435_ContainerStatsSamples') THEN
    CREATE INDEX ix_container_stats_samples_project_id_timestamp ON container_stats_samples (project_id, timestamp);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005435_ContainerStatsSamples') THEN
    CREATE INDEX ix_container_stats_samples_timestamp ON container_stats_samples USING brin (timestamp);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005435_ContainerStatsSamples') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126005435_ContainerStatsSamples', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE TABLE auto_deploy_claims (
        project_id bigint NOT NULL,
        commit_sha character varying(64) NOT NULL,
        trigger text NOT NULL,
        deployment_id bigint,
        claimed_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_auto_deploy_claims PRIMARY KEY (project_id, commit_sha),
        CONSTRAINT fk_auto_deploy_claims_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE SET NULL,
        CONSTRAINT fk_auto_deploy_claims_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE TABLE github_deliveries (
        delivery_id character varying(100) NOT NULL,
        event character varying(100) NOT NULL,
        project_id bigint,
        received_at timestamp with time zone NOT NULL,
        outcome text,
        CONSTRAINT pk_github_deliveries PRIMARY KEY (delivery_id),
        CONSTRAINT fk_github_deliveries_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE TABLE project_github (
        project_id bigint NOT NULL,
        encrypted_webhook_secret text,
        hook_id bigint,
        last_polled_sha text,
        last_polled_at timestamp with time zone,
        last_poll_error text,
        CONSTRAINT pk_project_github PRIMARY KEY (project_id),
        CONSTRAINT fk_project_github_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE INDEX ix_auto_deploy_claims_deployment_id ON auto_deploy_claims (deployment_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE INDEX ix_github_deliveries_project_id ON github_deliveries (project_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    CREATE INDEX ix_github_deliveries_received_at ON github_deliveries (received_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005640_GitHub') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126005640_GitHub', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005705_RuntimeLogDrops') THEN
    CREATE TABLE runtime_log_drops (
        deployment_id bigint NOT NULL,
        project_id bigint NOT NULL,
        dropped bigint NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_runtime_log_drops PRIMARY KEY (deployment_id),
        CONSTRAINT fk_runtime_log_drops_deployments_deployment_id FOREIGN KEY (deployment_id) REFERENCES deployments (id) ON DELETE CASCADE,
        CONSTRAINT fk_runtime_log_drops_projects_project_id FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005705_RuntimeLogDrops') THEN
    CREATE INDEX ix_runtime_log_drops_project_id ON runtime_log_drops (project_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005705_RuntimeLogDrops') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126005705_RuntimeLogDrops', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005904_ApiTokens') THEN
    CREATE TABLE api_tokens (
        id bigint GENERATED ALWAYS AS IDENTITY,
        name character varying(100) NOT NULL,
        token_hash character(64) NOT NULL,
        prefix character varying(16) NOT NULL,
        created_at timestamp with time zone NOT NULL,
        last_used_at timestamp with time zone,
        CONSTRAINT pk_api_tokens PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005904_ApiTokens') THEN
    CREATE UNIQUE INDEX ix_api_tokens_token_hash ON api_tokens (token_hash);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126005904_ApiTokens') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126005904_ApiTokens', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    DROP TABLE analytics_events;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE TABLE request_events (
        seq bigint NOT NULL,
        project_id bigint NOT NULL,
        deployment_id bigint,
        timestamp timestamp with time zone NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        query text,
        status smallint NOT NULL,
        duration_ms real NOT NULL,
        bytes_in bigint NOT NULL,
        bytes_out bigint NOT NULL,
        referrer_host text,
        agent_class smallint NOT NULL,
        visitor_id bigint NOT NULL,
        client_ip text,
        CONSTRAINT pk_request_events PRIMARY KEY (seq)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE TABLE request_rollups (
        project_id bigint NOT NULL,
        minute timestamp with time zone NOT NULL,
        requests bigint NOT NULL,
        status_other bigint NOT NULL,
        status2xx bigint NOT NULL,
        status3xx bigint NOT NULL,
        status4xx bigint NOT NULL,
        status5xx bigint NOT NULL,
        browsers bigint NOT NULL,
        bots bigint NOT NULL,
        other_agents bigint NOT NULL,
        bytes_in bigint NOT NULL,
        bytes_out bigint NOT NULL,
        duration_sum_ms double precision NOT NULL,
        latency_buckets bigint[] NOT NULL,
        CONSTRAINT pk_request_rollups PRIMARY KEY (project_id, minute)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE TABLE request_rollups_hourly (
        project_id bigint NOT NULL,
        hour timestamp with time zone NOT NULL,
        requests bigint NOT NULL,
        status_other bigint NOT NULL,
        status2xx bigint NOT NULL,
        status3xx bigint NOT NULL,
        status4xx bigint NOT NULL,
        status5xx bigint NOT NULL,
        browsers bigint NOT NULL,
        bots bigint NOT NULL,
        other_agents bigint NOT NULL,
        bytes_in bigint NOT NULL,
        bytes_out bigint NOT NULL,
        duration_sum_ms double precision NOT NULL,
        latency_buckets bigint[] NOT NULL,
        CONSTRAINT pk_request_rollups_hourly PRIMARY KEY (project_id, hour)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE TABLE request_visitors (
        project_id bigint NOT NULL,
        hour timestamp with time zone NOT NULL,
        visitor_id bigint NOT NULL,
        CONSTRAINT pk_request_visitors PRIMARY KEY (project_id, hour, visitor_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE INDEX ix_request_events_project_id_timestamp ON request_events (project_id, timestamp);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE INDEX ix_request_events_timestamp_brin ON request_events USING brin (timestamp);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE INDEX ix_request_rollups_minute_brin ON request_rollups USING brin (minute);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE INDEX ix_request_rollups_hourly_hour_brin ON request_rollups_hourly USING brin (hour);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    CREATE INDEX ix_request_visitors_hour_brin ON request_visitors USING brin (hour);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126013159_RequestAnalytics') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126013159_RequestAnalytics', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    CREATE TABLE request_events_high_water (
        id smallint NOT NULL,
        last_seq bigint NOT NULL,
        CONSTRAINT pk_request_events_high_water PRIMARY KEY (id),
        CONSTRAINT ck_request_events_high_water_singleton CHECK (id = 1)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    CREATE TABLE request_visitors_daily (
        project_id bigint NOT NULL,
        day date NOT NULL,
        visitor_id bigint NOT NULL,
        first_hour timestamp with time zone NOT NULL,
        last_hour timestamp with time zone NOT NULL,
        CONSTRAINT pk_request_visitors_daily PRIMARY KEY (project_id, day, visitor_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    CREATE INDEX ix_request_visitors_daily_day_brin ON request_visitors_daily USING brin (day);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    INSERT INTO request_events_high_water (id, last_seq)
    SELECT 1, max(seq) FROM request_events HAVING max(seq) IS NOT NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    INSERT INTO request_visitors_daily (project_id, day, visitor_id, first_hour, last_hour)
    SELECT project_id, (hour AT TIME ZONE 'UTC')::date, visitor_id, min(hour), max(hour)
    FROM request_visitors GROUP BY 1, 2, 3;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    ALTER TABLE request_events DROP CONSTRAINT pk_request_events;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261126034733_RequestAnalyticsStore') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261126034733_RequestAnalyticsStore', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203182034_ApiTokenScopes') THEN
    ALTER TABLE api_tokens ADD expires_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203182034_ApiTokenScopes') THEN
    ALTER TABLE api_tokens ADD scope character varying(16) NOT NULL DEFAULT 'admin';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203182034_ApiTokenScopes') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261203182034_ApiTokenScopes', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203182242_VariableSecretFlag') THEN
    ALTER TABLE env_vars ADD is_secret boolean NOT NULL DEFAULT TRUE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203182242_VariableSecretFlag') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261203182242_VariableSecretFlag', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203183353_OwnerAccountAndAuditLog') THEN
    CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamp with time zone NOT NULL,
        action character varying(32) NOT NULL,
        actor character varying(255) NOT NULL,
        target character varying(255),
        remote_address character varying(64),
        CONSTRAINT pk_audit_log PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203183353_OwnerAccountAndAuditLog') THEN
    CREATE TABLE owner_account (
        id integer NOT NULL,
        password_hash character varying(512),
        setup_token_hash character(64),
        setup_token_expires_at timestamp with time zone,
        setup_token_from_reset boolean NOT NULL,
        failed_sign_ins integer NOT NULL,
        locked_until timestamp with time zone,
        session_version integer NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_owner_account PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203183353_OwnerAccountAndAuditLog') THEN
    CREATE INDEX ix_audit_log_at ON audit_log (at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261203183353_OwnerAccountAndAuditLog') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261203183353_OwnerAccountAndAuditLog', '10.0.15');
    END IF;
END $EF$;
COMMIT;

