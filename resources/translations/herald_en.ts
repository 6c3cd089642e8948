<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ComposePage</name>
    <message>
        <source>Compose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending &amp;account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Manage…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manage SMTP profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shop Name &lt;news@example.com&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;ply-To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body &amp;format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separate &amp;plain-text body (otherwise made from the HTML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain-text body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields: double-click or press Enter to insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click (or Enter) inserts the field where the cursor is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files attached to every message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-row files from &amp;column:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachment column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a List-&amp;Unsubscribe header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsubscribe@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsubscribe address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`{name}` is not a column. Columns: {columns}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subject is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in From: the sender&apos;s name and address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The template is fine.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview &amp;&amp; test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open campaign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;workbook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;demo campaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP &amp;profiles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open campaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Herald campaign (*.toml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Herald cannot open {name}: use a workbook (.xlsx, .csv) or a campaign file (.toml).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save campaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The campaign has unsaved changes. Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Herald</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Herald {version}&lt;/h3&gt;&lt;p&gt;A desktop mail-merge sender: a workbook of recipients, a template, and steady, rate-controlled SMTP sending.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Herald is sending. Pause the send and quit? You can resume it the next time you open this campaign; nobody will receive a message twice.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Preview &amp;&amp; test</source>
        <extracomment>how long one chunk of &quot;Check all&quot; may hold the event loop before yielding</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to recipient number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a recipient (any column)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a recipient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain-text preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;test to me…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {row} cannot be sent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{i} of {n} (row {row})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 of 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recipient matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{checked} of {rows} rows checked: {ok} can be sent, {bad} cannot; {errors} errors, {warnings} warnings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check stopped early</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send test to me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this row&apos;s message, marked [TEST], to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test was not sent: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test sent to {address}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemLabels</name>
    <message>
        <source>unreadable file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>header renamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no email column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>several addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs SMTPUTF8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>formula without value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>template error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsafe header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing attachment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>large attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid setting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Local test outbox (nothing leaves this computer)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecipientsModel</name>
    <message>
        <source>sent</source>
        <extracomment>custom roles</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deferred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>problem: {kind}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecipientsPage</name>
    <message>
        <source>Recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open workbook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an .xlsx or .csv file, or drop one on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;heet:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header &amp;row:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header row (0 finds it automatically)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bcc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply-&amp;to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ttachments:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Problems only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search any column…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xclude selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Include selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipients table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipient counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.tsv *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workbook yet: open one or drop it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} — header in row {row}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recipients yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rows} rows: {valid} valid, {invalid} invalid, {dup} duplicate, {excluded} excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the email column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody to send to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SendController</name>
    <message>
        <source>Sending stopped: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending ended early: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}; resuming at {time}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused. Press Resume to carry on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: {reason}; resuming at {time}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: {reason}. Press Resume when it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The send stopped with an error: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
