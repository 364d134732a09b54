using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Scaffolding;

namespace Rhei.EntityFrameworkCore.Scaffolding.Internal;

/// <summary>
/// Emits <c>UseRhei("…")</c> in a scaffolded context's <c>OnConfiguring</c>. SQLite's generator would emit
/// <c>UseSqlite</c>, which fails at run time on the Rhei keys of the connection string it is given.
/// </summary>
public sealed class RheiCodeGenerator : ProviderCodeGenerator
{
    private static readonly MethodInfo s_useRhei = typeof(RheiDbContextOptionsBuilderExtensions).GetRuntimeMethod(
        nameof(RheiDbContextOptionsBuilderExtensions.UseRhei),
        [typeof(DbContextOptionsBuilder), typeof(string), typeof(Action<SqliteDbContextOptionsBuilder>)])!;

    /// <summary>Creates the generator.</summary>
    public RheiCodeGenerator(ProviderCodeGeneratorDependencies dependencies)
        : base(dependencies)
    {
    }

    /// <inheritdoc />
    public override MethodCallCodeFragment GenerateUseProvider(string connectionString, MethodCallCodeFragment? providerOptions)
        => providerOptions is null
            ? new MethodCallCodeFragment(s_useRhei, connectionString)
            : new MethodCallCodeFragment(s_useRhei, connectionString, new NestedClosureCodeFragment("x", providerOptions));
}
