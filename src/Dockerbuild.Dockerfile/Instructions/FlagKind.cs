namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>How an instruction flag takes its value (BuildKit's BFlags types).</summary>
internal enum FlagKind
{
    /// <summary><c>--link</c> or <c>--link=true|false</c>.</summary>
    Bool,

    /// <summary><c>--from=value</c>, at most once.</summary>
    String,

    /// <summary><c>--mount=value</c>, repeatable.</summary>
    Strings,
}
