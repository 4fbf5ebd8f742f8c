<?php
// Writes a database's tables as phpMyAdmin 5.2's XML export lays them out (its ExportXml plugin):
// a comment header, <pma_xml_export>, with "structure" its <pma:structure_schemas> holding each
// CREATE TABLE, then <database name> and one <table name> per row, each value through PHP's
// own htmlspecialchars, NULL written as the text NULL.
// Usage: php pma-export-xml.php HOST PORT USER PASSWORD DB structure|data TABLE...
[, $host, $port, $user, $password, $db, $what] = $argv;
$tables = array_slice($argv, 7);
$link = new mysqli($host, $user, $password, $db, (int) $port);
$link->set_charset('utf8mb4');
$h = fn ($s) => htmlspecialchars((string) $s);
echo "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!--\n- phpMyAdmin XML Dump\n- version 5.2.1\n- https://www.phpmyadmin.net\n-\n- Host: $host:$port\n-->\n\n";
echo '<pma_xml_export version="1.0"', $what === 'structure' ? ' xmlns:pma="https://www.phpmyadmin.net/some_doc_url/"' : '', ">\n";
if ($what === 'structure') {
    echo "    <!--\n    - Structure schemas\n    -->\n    <pma:structure_schemas>\n";
    echo '        <pma:database name="', $h($db), "\" collation=\"utf8mb4_general_ci\" charset=\"utf8mb4\">\n";
    foreach ($tables as $table) {
        $create = $link->query("SHOW CREATE TABLE `$table`")->fetch_row()[1];
        echo '            <pma:table name="', $h($table), "\">\n";
        echo '                ', str_replace("\n", "\n                ", $h($create)), ";\n";
        echo "            </pma:table>\n";
    }
    echo "        </pma:database>\n    </pma:structure_schemas>\n\n";
}
echo "    <!--\n    - Database: '", $h($db), "'\n    -->\n    <database name=\"", $h($db), "\">\n";
foreach ($tables as $table) {
    echo '        <!-- Table ', $h($table), " -->\n";
    $result = $link->query("SELECT * FROM `$table`", MYSQLI_USE_RESULT);
    $fields = array_map(fn ($f) => $f->name, $result->fetch_fields());
    while ($row = $result->fetch_row()) {
        echo '        <table name="', $h($table), "\">\n";
        foreach ($row as $i => $value) {
            echo '            <column name="', $h($fields[$i]), '">', $h($value ?? 'NULL'), "</column>\n";
        }
        echo "        </table>\n";
    }
    $result->close();
}
echo "    </database>\n</pma_xml_export>";
