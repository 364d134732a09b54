using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rhei.Data.Testing;

/// <summary>
/// A throwaway PostgreSQL server: Debian's binaries (<c>/usr/lib/postgresql/&lt;ver&gt;/bin</c>), a cluster made by
/// <c>initdb</c> and run by <c>pg_ctl</c> as the <c>postgres</c> user (never as root) in a fresh temporary directory
/// owned by that user, listening on a free loopback port with <c>wal_level=logical</c>. TCP connections authenticate
/// with SCRAM passwords, so a password is really checked. <see cref="DisposeAsync"/> stops the server and removes its
/// directory; a directory left by a process that died is removed by the next start. One source file compiled into the
/// test project (behind its xunit fixture) and the benchmarks, so both start the server the same way.
/// </summary>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    /// <summary>A role that may log in and own tables, without REPLICATION.</summary>
    public const string PlainRole = "rhei_plain";

    /// <summary>The role with REPLICATION the sources connect as.</summary>
    public const string ReplicationRole = "rhei_repl";

    private const string DirectoryPrefix = "rhei-pg-";
    private const string SuperUser = "postgres";
    private const string InstallRoot = "/usr/lib/postgresql";

    private readonly string _root;
    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private int _databaseCounter;

    private PostgreSqlServer(string binDirectory)
    {
        _binDirectory = binDirectory;
        _root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        _dataDirectory = Path.Combine(_root, "data");
    }

    /// <summary>The superuser's password (random per server).</summary>
    public string SuperUserPassword { get; } = "Su-" + Guid.NewGuid().ToString("N");

    /// <summary>The REPLICATION role's password: a marker the password tests look for in every message.</summary>
    public string ReplicationPassword { get; } = "Secret-Pw-" + Guid.NewGuid().ToString("N");

    public int Port { get; private set; }

    /// <summary>Why no server can start here (PostgreSQL is not installed), or null when one can.</summary>
    public static string? UnavailableReason()
        => FindBinDirectory() is null
            ? $"PostgreSQL is not installed (no {InstallRoot}/<version>/bin/initdb): install Debian's postgresql package (.ci/run does)."
            : null;

    /// <summary>Creates, configures and starts a cluster, with the replication and plain roles.</summary>
    public static async Task<PostgreSqlServer> StartAsync()
    {
        RemoveDirectoriesOfDeadRuns();
        var server = new PostgreSqlServer(FindBinDirectory() ?? throw new InvalidOperationException(UnavailableReason()));
        try
        {
            await server.InitializeAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-m", "immediate", "-w", "stop").ConfigureAwait(false);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>An Npgsql connection string to the server (no pooling, so a dropped database has no idle connection).</summary>
    public string ConnectionString(string user, string password, string database)
        => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = user,
            Password = password,
            Database = database,
            Pooling = false,
            Timeout = 15,
        }.ConnectionString;

    /// <summary>The replication role's connection string to <paramref name="database"/>.</summary>
    public string ReplicationConnectionString(string database) => ConnectionString(ReplicationRole, ReplicationPassword, database);

    /// <summary>A fresh database owned by the replication role, so each user has its own tables, publications and slots.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databaseCounter)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, "postgres"));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name} OWNER {ReplicationRole}";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return name;
    }

    /// <summary>Runs SQL on <paramref name="database"/> as the replication role (the tables' owner).</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ReplicationConnectionString(database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a scalar query on <paramref name="database"/> as the superuser (catalog checks).</summary>
    public async Task<object?> ScalarAsSuperUserAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var passwordFile = Path.Combine(_root, "pw");
        await File.WriteAllTextAsync(passwordFile, SuperUserPassword).ConfigureAwait(false);
        await RunAsync("chown", "-R", "postgres:postgres", _root).ConfigureAwait(false);
        await RunAsync("chmod", "700", _root).ConfigureAwait(false);

        await RunAsPostgresAsync(Path.Combine(_binDirectory, "initdb"), "-D", _dataDirectory, "-U", SuperUser, "--pwfile", passwordFile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").ConfigureAwait(false);
        File.Delete(passwordFile);

        Port = FreeLoopbackPort();
        var settings = string.Join('\n',
            "listen_addresses = '127.0.0.1'",
            $"port = {Port}",
            $"unix_socket_directories = '{_root}'",
            "wal_level = logical",
            "max_replication_slots = 40",
            "max_wal_senders = 40",
            "max_connections = 100",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "password_encryption = 'scram-sha-256'");
        await RunAsPostgresAsync("sh", "-c", $"printf '%s\\n' \"$1\" >> \"$2\"", "sh", settings, Path.Combine(_dataDirectory, "postgresql.conf")).ConfigureAwait(false);
        await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start").ConfigureAwait(false);

        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, "postgres"));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"CREATE ROLE {ReplicationRole} LOGIN REPLICATION CREATEDB PASSWORD '{ReplicationPassword}';" +
            $"CREATE ROLE {PlainRole} LOGIN CREATEDB PASSWORD '{ReplicationPassword}';";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static string? FindBinDirectory()
    {
        var candidates = Directory.Exists(InstallRoot)
            ? Directory.GetDirectories(InstallRoot)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(c => c.Version > 0 && File.Exists(Path.Combine(c.Directory, "bin", "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0 ? Path.Combine(candidates[0].Directory, "bin") : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops and removes clusters whose process died (its process id is in the directory name).</summary>
    private static void RemoveDirectoriesOfDeadRuns()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var name = Path.GetFileName(directory)[DirectoryPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid) || IsAlive(pid))
            {
                continue;
            }

            var data = Path.Combine(directory, "data");
            var bin = File.Exists(Path.Combine(data, "PG_VERSION"))
                ? $"{InstallRoot}/{File.ReadAllText(Path.Combine(data, "PG_VERSION")).Trim()}/bin/pg_ctl"
                : null;
            if (bin is not null && File.Exists(bin) && File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                RunAsPostgresAsync(bin, "-D", data, "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Another run is removing it at the same moment.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Task RunAsPostgresAsync(string program, params string[] arguments)
        => RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments.FirstOrDefault()} exited with {process.ExitCode}: {await error.ConfigureAwait(false)} {await output.ConfigureAwait(false)}");
        }
    }
}
