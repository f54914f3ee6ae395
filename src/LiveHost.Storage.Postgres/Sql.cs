using Npgsql;
using NpgsqlTypes;

namespace LiveHost.Storage.Postgres;

/// <summary>Commands with positional parameters (<c>$1</c>, <c>$2</c>...): nulls become SQL NULL, times are sent in UTC (timestamptz).</summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values) => Command(connection, null, sql, values);

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values) command.Parameters.Add(Parameter(value));
        return command;
    }

    public static int Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        using var command = Command(connection, transaction, sql, values);
        return command.ExecuteNonQuery();
    }

    /// <summary>A JSON text parameter for a <c>jsonb</c> column.</summary>
    public static NpgsqlParameter Json(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    /// <summary>A <c>bytea</c> parameter that may be null.</summary>
    public static NpgsqlParameter Bytes(byte[]? bytes) => new() { Value = (object?)bytes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea };

    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        NpgsqlParameter parameter => parameter,
        DateTimeOffset at => new NpgsqlParameter { Value = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
        null => new NpgsqlParameter { Value = DBNull.Value },
        _ => new NpgsqlParameter { Value = value },
    };

    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
