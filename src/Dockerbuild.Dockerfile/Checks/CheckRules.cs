using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>The rule names and message texts, word for word as BuildKit's linter/ruleset.go has them.</summary>
internal static class CheckRules
{
    public const string StageNameCasing = nameof(StageNameCasing);
    public const string FromAsCasing = nameof(FromAsCasing);
    public const string NoEmptyContinuation = nameof(NoEmptyContinuation);
    public const string ConsistentInstructionCasing = nameof(ConsistentInstructionCasing);
    public const string DuplicateStageName = nameof(DuplicateStageName);
    public const string ReservedStageName = nameof(ReservedStageName);
    public const string JSONArgsRecommended = nameof(JSONArgsRecommended);
    public const string MaintainerDeprecated = nameof(MaintainerDeprecated);
    public const string UndefinedArgInFrom = nameof(UndefinedArgInFrom);
    public const string WorkdirRelativePath = nameof(WorkdirRelativePath);
    public const string UndefinedVar = nameof(UndefinedVar);
    public const string MultipleInstructionsDisallowed = nameof(MultipleInstructionsDisallowed);
    public const string LegacyKeyValueFormat = nameof(LegacyKeyValueFormat);
    public const string SecretsUsedInArgOrEnv = nameof(SecretsUsedInArgOrEnv);
    public const string InvalidDefaultArgInFrom = nameof(InvalidDefaultArgInFrom);
    public const string ExposeProtoCasing = nameof(ExposeProtoCasing);

    public static readonly IReadOnlyList<string> All =
    [
        StageNameCasing, FromAsCasing, NoEmptyContinuation, ConsistentInstructionCasing, DuplicateStageName,
        ReservedStageName, JSONArgsRecommended, MaintainerDeprecated, UndefinedArgInFrom, WorkdirRelativePath,
        UndefinedVar, MultipleInstructionsDisallowed, LegacyKeyValueFormat, SecretsUsedInArgOrEnv,
        InvalidDefaultArgInFrom, ExposeProtoCasing,
    ];

    public static string StageNameCasingMessage(string stageName) => $"Stage name '{stageName}' should be lowercase";

    public static string FromAsCasingMessage(string from, string @as) => $"'{@as}' and '{from}' keywords' casing do not match";

    public static string NoEmptyContinuationMessage() => "Empty continuation line";

    public static string ConsistentInstructionCasingMessage(string command, string casing) =>
        $"Command '{command}' should match the case of the command majority ({casing})";

    public static string DuplicateStageNameMessage(string stageName) =>
        $"Duplicate stage name {GoQuote.Quote(stageName)}, stage names should be unique";

    public static string ReservedStageNameMessage(string stageName) =>
        $"Stage name should not use the same name as reserved stage {GoQuote.Quote(stageName)}";

    public static string JSONArgsRecommendedMessage(string instruction) =>
        $"JSON arguments recommended for {instruction} to prevent unintended behavior related to OS signals";

    public static string MaintainerDeprecatedMessage() => "Maintainer instruction is deprecated in favor of using label";

    public static string UndefinedArgInFromMessage(string arg, string? suggestion) =>
        $"FROM argument '{arg}' is not declared" + (suggestion is null ? "" : $" (did you mean {suggestion}?)");

    public static string WorkdirRelativePathMessage(string workdir) =>
        $"Relative workdir {GoQuote.Quote(workdir)} can have unexpected results if the base image changes";

    public static string UndefinedVarMessage(string arg, string? suggestion) =>
        $"Usage of undefined variable '${arg}'" + (suggestion is null ? "" : $" (did you mean ${suggestion}?)");

    public static string MultipleInstructionsDisallowedMessage(string instruction) =>
        $"Multiple {instruction} instructions should not be used in the same stage because only the last one will be used";

    public static string LegacyKeyValueFormatMessage(string command) =>
        $"\"{command} key=value\" should be used instead of legacy \"{command} key value\" format";

    public static string SecretsUsedInArgOrEnvMessage(string instruction, string key) =>
        $"Do not use ARG or ENV instructions for sensitive data ({instruction} {GoQuote.Quote(key)})";

    public static string InvalidDefaultArgInFromMessage(string baseName) =>
        $"Default value for ARG {baseName} results in empty or invalid base image name";

    public static string ExposeProtoCasingMessage(string port) =>
        $"Defined protocol '{port}' in EXPOSE instruction should be lowercase";
}
