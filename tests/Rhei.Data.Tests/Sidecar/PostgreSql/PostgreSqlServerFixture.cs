using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// A real PostgreSQL server for the sidecar tests: Debian's binaries (<c>/usr/lib/postgresql/&lt;ver&gt;/bin</c>), a
/// cluster made by <c>initdb</c> and run by <c>pg_ctl</c> as the <c>postgres</c> user (never as root) in a fresh
/// temporary directory owned by that user, listening on a free loopback port with <c>wal_level=logical</c>. TCP
/// connections authenticate with SCRAM passwords, so a test's password is really checked. The server is stopped and
/// its directory removed on dispose; a directory left by a test host that died is removed by the next run.
/// </summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    private const string DirectoryPrefix = "rhei-pg-";
    private const string SuperUser = "postgres";

    private string _root = "";
    private string _dataDirectory = "";
    private string _binDirectory = "";
    private int _databaseCounter;

    /// <summary>The superuser's password (random per run).</summary>
    internal string SuperUserPassword { get; } = "Su-" + Guid.NewGuid().ToString("N");

    /// <summary>The REPLICATION role's password: a marker the password tests look for in every message.</summary>
    internal string ReplicationPassword { get; } = "Secret-Pw-" + Guid.NewGuid().ToString("N");

    /// <summary>A role that may log in and own tables, without REPLICATION.</summary>
    internal const string PlainRole = "rhei_plain";

    /// <summary>The role with REPLICATION the sources connect as.</summary>
    internal const string ReplicationRole = "rhei_repl";

    internal int Port { get; private set; }

    public async Task InitializeAsync()
    {
        RemoveDirectoriesOfDeadRuns();
        _binDirectory = FindBinDirectory();
        _root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        _dataDirectory = Path.Combine(_root, "data");
        var passwordFile = Path.Combine(_root, "pw");
        await File.WriteAllTextAsync(passwordFile, SuperUserPassword);
        await RunAsync("chown", "-R", "postgres:postgres", _root);
        await RunAsync("chmod", "700", _root);

        await RunAsPostgresAsync(Path.Combine(_binDirectory, "initdb"), "-D", _dataDirectory, "-U", SuperUser, "--pwfile", passwordFile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
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
        await RunAsPostgresAsync("sh", "-c", $"printf '%s\\n' \"$1\" >> \"$2\"", "sh", settings, Path.Combine(_dataDirectory, "postgresql.conf"));
        await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start");

        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, "postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"CREATE ROLE {ReplicationRole} LOGIN REPLICATION CREATEDB PASSWORD '{ReplicationPassword}';" +
            $"CREATE ROLE {PlainRole} LOGIN CREATEDB PASSWORD '{ReplicationPassword}';";
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory.Length > 0 && File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-m", "immediate", "-w", "stop");
        }

        if (_root.Length > 0 && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>An Npgsql connection string to the server (no pooling, so a dropped database has no idle connection).</summary>
    internal string ConnectionString(string user, string password, string database)
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
    internal string ReplicationConnectionString(string database) => ConnectionString(ReplicationRole, ReplicationPassword, database);

    /// <summary>A fresh database owned by the replication role, so each test has its own tables, publications and slots.</summary>
    internal async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databaseCounter)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, "postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name} OWNER {ReplicationRole}";
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Runs SQL on <paramref name="database"/> as the replication role (the tables' owner).</summary>
    internal async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ReplicationConnectionString(database));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a scalar query on <paramref name="database"/> as the superuser (catalog checks).</summary>
    internal async Task<object?> ScalarAsSuperUserAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(SuperUser, SuperUserPassword, database));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(c => c.Version > 0 && File.Exists(Path.Combine(c.Directory, "bin", "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? Path.Combine(candidates[0].Directory, "bin")
            : throw new InvalidOperationException($"PostgreSQL is not installed (no {root}/<version>/bin/initdb): install Debian's postgresql package (.ci/run does).");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops and removes clusters whose test host died (its process id is in the directory name).</summary>
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
                ? $"/usr/lib/postgresql/{File.ReadAllText(Path.Combine(data, "PG_VERSION")).Trim()}/bin/pg_ctl"
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
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments.FirstOrDefault()} exited with {process.ExitCode}: {await error} {await output}");
        }
    }
}
