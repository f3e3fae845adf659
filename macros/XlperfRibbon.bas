Attribute VB_Name = "XlperfRibbon"
' xlperf ribbon callbacks: the three buttons of the ribbon tab defined in customUI/customUI.xml.
' Each button calls one Python function in xlperf.addin.buttons through RunPython, which the
' "xlwings" module of the same VBA project provides (macros/xlwings_runtime.bas).
'
' This file is ASCII on purpose. The Chinese texts are built at run time by Zh() from their
' Unicode code points, so importing the file (VBE: File > Import File) gives the same code
' whatever the Windows code page is. tests/addin/test_macros.py decodes and checks every text.
Option Explicit

' Button "recalculate": full recalculation of every formula, then Python runs the same checks
' as the server on the workbook as it is now in Excel (unsaved edits included).
Public Sub Recalculate(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        ' "Please open the evaluation workbook to calculate first."
        MsgBox Zh("8BF7 5148 6253 5F00 8981 8BA1 7B97 7684 7EE9 6548 8BC4 4EF7 5DE5 4F5C 7C3F 3002"), vbExclamation, BoxTitle()
        Exit Sub
    End If
    Application.CalculateFull
    RunPython "import xlperf.addin.buttons as b; b.recalculate()"
End Sub

' Button "validate this workbook": checks the file as saved on disk. It never saves silently:
' with unsaved changes it asks whether to save first (Yes), check the saved file (No) or stop.
Public Sub ValidateWorkbook(control As IRibbonControl)
    Dim wb As Workbook
    Set wb = ActiveWorkbook
    If wb Is Nothing Then
        ' "Please open the workbook to check first."
        MsgBox Zh("8BF7 5148 6253 5F00 8981 6821 9A8C 7684 5DE5 4F5C 7C3F 3002"), vbExclamation, BoxTitle()
        Exit Sub
    End If
    If wb.Path = "" Then
        ' "This workbook has never been saved. Save it as .xlsx or .xlsm first, then click 'validate this workbook'."
        MsgBox Zh("672C 5DE5 4F5C 7C3F 8FD8 6CA1 6709 4FDD 5B58 8FC7 3002 8BF7 5148 4FDD 5B58 4E3A 0020 002E 0078 006C 0073 0078 0020 6216 0020 002E 0078 006C 0073 006D 0020 6587 4EF6 FF0C 518D 70B9 201C 6821 9A8C 672C 5DE5 4F5C 7C3F 201D 3002"), vbExclamation, BoxTitle()
        Exit Sub
    End If
    If Not wb.Saved Then
        ' "This workbook has unsaved changes." / "Yes: save first, then check." /
        ' "No: do not save, check the last saved file (without the unsaved changes)." / "Cancel: do not check."
        Select Case MsgBox(Zh("672C 5DE5 4F5C 7C3F 6709 672A 4FDD 5B58 7684 4FEE 6539 3002") & vbCrLf & vbCrLf & _
                           Zh("662F FF1A 5148 4FDD 5B58 FF0C 518D 6821 9A8C 3002") & vbCrLf & _
                           Zh("5426 FF1A 4E0D 4FDD 5B58 FF0C 6821 9A8C 4E0A 6B21 4FDD 5B58 7684 6587 4EF6 FF08 4E0D 542B 672A 4FDD 5B58 7684 4FEE 6539 FF09 3002") & vbCrLf & _
                           Zh("53D6 6D88 FF1A 4E0D 6821 9A8C 3002"), _
                           vbYesNoCancel + vbQuestion, BoxTitle())
            Case vbYes
                If Not SaveFirst(wb) Then Exit Sub
            Case vbNo
                ' Check the last saved file as it is on disk.
            Case Else
                Exit Sub
        End Select
    End If
    RunPython "import xlperf.addin.buttons as b; b.validate_this_workbook()"
End Sub

' Button "validate folder": pick a folder of returned workbooks; Python checks every file in it,
' writes the summary workbook into a new subfolder and opens it.
Public Sub ValidateFolder(control As IRibbonControl)
    Dim folder As String
    With Application.FileDialog(msoFileDialogFolderPicker)
        ' "Choose the folder holding the returned workbooks"
        .Title = Zh("9009 62E9 5B58 653E 56DE 6536 8868 7684 6587 4EF6 5939")
        .AllowMultiSelect = False
        If .Show <> -1 Then Exit Sub
        folder = .SelectedItems(1)
    End With
    ' RunPython works on the active workbook: give it an empty one when none is open.
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import xlperf.addin.buttons as b; b.validate_folder(" & PyStr(folder) & ")"
End Sub

' Saves wb after the user said Yes; False (with a message) when saving failed or was cancelled.
Private Function SaveFirst(wb As Workbook) As Boolean
    Dim reason As String
    On Error Resume Next
    wb.Save
    reason = Err.Description
    On Error GoTo 0
    SaveFirst = wb.Saved
    If Not SaveFirst Then
        ' "Saving failed; nothing was checked."
        MsgBox Zh("4FDD 5B58 5931 8D25 FF0C 672A 8FDB 884C 6821 9A8C 3002") & vbCrLf & reason, vbCritical, BoxTitle()
    End If
End Function

' A Python string literal for source, ASCII only: letters, digits, space and - . : _ stay as they
' are, every other character becomes \uXXXX. So quotes, backslashes (a trailing one too), % and &
' cannot break the command line RunPython builds, and Chinese folder names survive any code page.
' Characters outside the BMP arrive as two \uXXXX surrogates; xlperf.addin.buttons joins them.
Private Function PyStr(ByVal source As String) As String
    Dim i As Long, code As Long, result As String
    For i = 1 To Len(source)
        code = AscW(Mid$(source, i, 1)) And &HFFFF&
        Select Case code
            Case 48 To 57, 65 To 90, 97 To 122, 32, 45, 46, 58, 95
                result = result & ChrW(code)
            Case Else
                result = result & "\u" & Right$("000" & Hex$(code), 4)
        End Select
    Next i
    PyStr = "'" & result & "'"
End Function

' The text whose Unicode code points are given as space-separated hex numbers.
Private Function Zh(ByVal codes As String) As String
    Dim parts() As String, i As Long
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        Zh = Zh & ChrW(CLng("&H" & parts(i)))
    Next i
End Function

' Message box title: "performance evaluation".
Private Function BoxTitle() As String
    BoxTitle = Zh("7EE9 6548 8BC4 4EF7")
End Function
